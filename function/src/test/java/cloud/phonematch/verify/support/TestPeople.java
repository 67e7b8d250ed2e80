package cloud.phonematch.verify.support;

import java.util.List;

/**
 * Every name, number, token and secret value the suite sends. The privacy gate checks that none of them
 * appears in any log line of the run, so a test that uses personal data must take it from here.
 */
public final class TestPeople {
    public static final String NAME = "张三丰";
    public static final String OTHER_NAME = "欧阳娜娜";
    public static final String LATIN_NAME = "Jean-Luc Picard";
    public static final String NAME_WITH_DOT_VARIANT = "阿依古丽・买买提"; // normalized to 阿依古丽·买买提
    public static final String INVALID_NAME = "张3";
    /** A short Chinese name typed with spaces: sent without them, as {@link #SPACED_NAME_JOINED}. */
    public static final String SPACED_NAME = "王 小 明";
    public static final String SPACED_NAME_JOINED = "王小明";
    /** A transliterated name with a space where the registry has '·': refused locally. */
    public static final String SPACED_TRANSLITERATED_NAME = "阿依古丽 买买提";
    /** Han and Latin parts separated by a space: refused locally. */
    public static final String SPACED_MIXED_NAME = "张 Wei";

    /** Valid China Mobile numbers; the last digit drives the sandbox. */
    public static final String MOBILE = "13912345670";
    public static final String MOBILE_FULLWIDTH_PLUS86 = "+86 １３９-１２３４-５６７０"; // normalizes to MOBILE
    public static final String MOBILE_2 = "13812349871";
    public static final String INVALID_MOBILE = "12345678901";

    public static final String TOKEN = "tok-live-9f8e7d6c5b4a39281706";
    public static final String ROTATED_TOKEN = "tok-rotated-1a2b3c4d5e6f7081";
    public static final String SECRET_JSON = "{\"token\":\"" + TOKEN + "\",\"note\":\"sk-secret-value-77aa\"}";

    private TestPeople() {
    }

    /** What must never be seen in a log line, in any form the function might have printed it. */
    public static List<String> forbiddenInLogs() {
        return List.of(NAME, OTHER_NAME, "欧阳 娜娜", LATIN_NAME, "阿依古丽", "买买提", SPACED_NAME,
                SPACED_NAME_JOINED, SPACED_MIXED_NAME, MOBILE, MOBILE_2, INVALID_MOBILE, "１３９", TOKEN,
                ROTATED_TOKEN, "sk-secret-value-77aa", "Bearer ");
    }
}
