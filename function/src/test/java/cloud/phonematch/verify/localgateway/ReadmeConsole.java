package cloud.phonematch.verify.localgateway;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The shell sessions a document (the README, a page of docs/) shows in {@code ```console} blocks: each line starting with {@code $ } is a
 * command, and the lines after it, up to the next command or the block's end, are its output as shown.
 */
final class ReadmeConsole {
    private static final Pattern BLOCK = Pattern.compile("(?s)```console\\n(.*?)```");
    private static final String DEV_MODE = "./mvnw quarkus:dev";

    private ReadmeConsole() {
    }

    /** A command and the output the README shows for it. */
    record Command(String line, List<String> shown) {
        /** A start of dev mode, to be given these {@code -Dname=value} properties. */
        boolean startsDevMode() {
            return line.startsWith(DEV_MODE);
        }

        Map<String, String> devModeProperties() {
            Map<String, String> properties = new TreeMap<>();
            for (String argument : line.substring(DEV_MODE.length()).strip().split("\\s+")) {
                if (argument.isEmpty()) {
                    continue;
                }
                if (!argument.startsWith("-D") || !argument.contains("=")) {
                    throw new IllegalArgumentException("not a -Dname=value property: " + argument);
                }
                properties.put(argument.substring(2, argument.indexOf('=')), argument.substring(argument.indexOf('=') + 1));
            }
            return properties;
        }
    }

    /** The commands of the document's section that starts with {@code heading}, in order. */
    static List<Command> commands(String document, String heading) {
        int start = document.indexOf("\n" + heading + "\n");
        if (start < 0) {
            throw new IllegalArgumentException("no section " + heading);
        }
        int end = document.indexOf("\n## ", start + heading.length() + 1);
        return commands(document.substring(start, end < 0 ? document.length() : end));
    }

    /** The commands of every console block of the text, in order. */
    static List<Command> commands(String blocks) {
        Matcher block = BLOCK.matcher(blocks);
        List<Command> commands = new ArrayList<>();
        while (block.find()) {
            String line = null;
            List<String> shown = new ArrayList<>();
            for (String text : block.group(1).split("\n")) {
                if (text.startsWith("$ ")) {
                    if (line != null) {
                        commands.add(new Command(line, List.copyOf(shown)));
                    }
                    line = text.substring(2);
                    shown.clear();
                } else if (line == null) {
                    throw new IllegalArgumentException("output before any command: " + text);
                } else {
                    shown.add(text);
                }
            }
            if (line != null) {
                commands.add(new Command(line, List.copyOf(shown)));
            }
        }
        return commands;
    }
}
