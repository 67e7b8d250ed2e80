package cloud.phonematch.verify.localgateway;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Compares what a command printed with the output a README shows for it, where {@code …} stands for any text on its
 * line (an id, a duration). For {@code curl -i} output the status line must be the same, every header shown must be
 * there with that value (others may be too; names in any case), and the body must match; otherwise the whole output
 * must match.
 */
final class ShownOutput {
    private ShownOutput() {
    }

    /** What does not match; empty when everything does. */
    static List<String> mismatches(List<String> shown, String printed) {
        String actual = printed.replace("\r\n", "\n").stripTrailing();
        if (shown.isEmpty() || !shown.get(0).startsWith("HTTP/")) {
            String expected = String.join("\n", shown);
            return matches(expected, actual) ? List.of() : List.of("output: expected\n" + expected + "\nbut was\n" + actual);
        }
        List<String> problems = new ArrayList<>();
        int blank = shown.indexOf("");
        List<String> shownHead = blank < 0 ? shown : shown.subList(0, blank);
        String shownBody = blank < 0 ? "" : String.join("\n", shown.subList(blank + 1, shown.size()));
        int split = actual.indexOf("\n\n");
        List<String> head = Arrays.asList((split < 0 ? actual : actual.substring(0, split)).split("\n"));
        String body = split < 0 ? "" : actual.substring(split + 2);

        if (!head.get(0).equals(shownHead.get(0))) {
            problems.add("status line: expected '" + shownHead.get(0) + "' but was '" + head.get(0) + "'");
        }
        for (String header : shownHead.subList(1, shownHead.size())) {
            String name = header.substring(0, header.indexOf(':'));
            String value = header.substring(header.indexOf(':') + 1).strip();
            List<String> values = head.stream().skip(1).filter(h -> h.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                    .map(h -> h.substring(name.length() + 1).strip()).toList();
            if (values.stream().noneMatch(v -> matches(value, v))) {
                problems.add("header " + name + ": expected '" + value + "' but was " + values);
            }
        }
        if (!matches(shownBody, body)) {
            problems.add("body: expected\n" + shownBody + "\nbut was\n" + body);
        }
        return problems;
    }

    private static boolean matches(String shown, String actual) {
        String pattern = Arrays.stream(shown.split("…", -1)).map(Pattern::quote).collect(Collectors.joining("[^\\n]+?"));
        return Pattern.compile(pattern).matcher(actual).matches();
    }
}
