package cloud.phonematch.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.support.CapturedOutput;
import cloud.phonematch.verify.support.TestPeople;

/**
 * The privacy gate. Runs after the whole suite (Failsafe, in {@code verify}) over everything the suite
 * printed — log lines and metrics alike. Fails if any name, number, token or secret value of the test data,
 * or any 11-digit mobile number at all, appears on any line.
 */
class PrivacyGateIT {
    /**
     * Any 11-digit mainland mobile number standing as a token of its own (the masked form has asterisks).
     * Bounded by non-alphanumerics, so the digits inside a random hex id (a UUID's "…14569288514f") do not
     * count; the test data's own numbers are caught anywhere by {@link TestPeople#forbiddenInLogs()}.
     */
    private static final Pattern ANY_MOBILE = Pattern.compile("(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])");

    @Test
    void noPersonalDataOrSecretInAnyLine() {
        List<CapturedOutput.Line> lines = CapturedOutput.lines();
        List<String> leaks = new ArrayList<>();
        int summaries = 0;
        for (CapturedOutput.Line line : lines) {
            if (line.text().contains("\"cloud.phonematch.verify.summary\"")) {
                summaries++;
            }
            for (String secret : TestPeople.forbiddenInLogs()) {
                if (contains(line.text(), secret)) {
                    leaks.add(line.file() + ": contains '" + secret.substring(0, 2) + "…': " + clip(line.text()));
                }
            }
            if (ANY_MOBILE.matcher(line.text()).find()) {
                leaks.add(line.file() + ": contains an 11-digit mobile number: " + clip(line.text()));
            }
        }
        assertTrue(summaries > 50, "expected the suite's summary lines in the output, found " + summaries);
        assertTrue(leaks.isEmpty(), leaks.size() + " leaking lines:\n" + String.join("\n", leaks.subList(0,
                Math.min(20, leaks.size()))));
    }

    /**
     * Whether {@code line} holds {@code value}; a value of digits only counts as a run of digits of its own, so that a
     * test number such as 12345678901 is not found inside the AWS documentation's sample account id 123456789012 (in
     * ARNs that callers and summary lines name).
     */
    static boolean contains(String line, String value) {
        if (!value.chars().allMatch(Character::isDigit)) {
            return line.contains(value);
        }
        return Pattern.compile("(?<![0-9])" + value + "(?![0-9])").matcher(line).find();
    }

    /** The gate's own matching: it would be a check that cannot fail if it missed a number standing alone. */
    @Test
    void aNumberCountsOnlyAsARunOfItsOwn() {
        assertTrue(contains("\"mobile\":\"12345678901\"", "12345678901"));
        assertTrue(contains("mobile=12345678901,", "12345678901"));
        assertTrue(!contains("arn:aws:iam::123456789012:user/alice", "12345678901"));
        assertTrue(contains("name 张三 here", "张三"));
    }

    private static String clip(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
