package cloud.phonematch.verify.precheck;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Outcome of {@link PreCheck#check(String, String)}.
 *
 * <p>Why a sealed interface: the caller must handle exactly two cases (call the upstream API
 * with the normalized values, or answer immediately with a reason), and a {@code switch} over a
 * sealed type makes the compiler enforce that. Neither variant ever prints a name or a full
 * number, so results can be logged safely.
 */
public sealed interface PreCheckResult permits PreCheckResult.Passed, PreCheckResult.Rejected {

    /**
     * The input may be sent upstream.
     *
     * @param name the normalized name ({@link PersonNames#normalize(String)})
     * @param mobile the normalized mobile number ({@link MobileNumbers#normalize(String)})
     * @param validated the number as the enforcing pre-check validated it (reused for the carrier lookup);
     *     empty when the pre-check does not enforce, and so did not validate
     */
    record Passed(String name, String mobile, Optional<MainlandMobile> validated) implements PreCheckResult {

        public Passed {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(mobile, "mobile");
            Objects.requireNonNull(validated, "validated");
        }

        /** Normalized values the pre-check did not validate. */
        public Passed(String name, String mobile) {
            this(name, mobile, Optional.empty());
        }

        /** Shows only the name's length and the masked number, never the personal data. */
        @Override
        public String toString() {
            return "Passed[name=" + name.codePointCount(0, name.length()) + " code points, mobile="
                    + MobileNumbers.mask(mobile) + "]";
        }
    }

    /**
     * The input was refused locally; no upstream call should be made.
     *
     * @param reason which field failed (the name is reported when both fail)
     * @param maskedMobile the normalized mobile number masked by {@link MobileNumbers#mask(String)}
     */
    record Rejected(Reason reason, String maskedMobile) implements PreCheckResult {

        public Rejected {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(maskedMobile, "maskedMobile");
        }
    }

    /**
     * Why an input was rejected: which rule refused which field (so the client can highlight it), with a hint
     * in English and Chinese that tells the caller what to send instead. The hints are the caller's to show;
     * they never quote the input.
     */
    enum Reason {
        /** The name is not 2 to 64 Han/Latin letters with single separators between them. */
        INVALID_NAME(true,
                "Send the name as registered: 2 to 64 Chinese characters or Latin letters, with one space, hyphen,"
                        + " apostrophe or '·' between parts and no digits or other symbols.",
                "请填写登记的姓名：2 至 64 个汉字或拉丁字母，各部分之间只能有一个空格、连字符、撇号或“·”，"
                        + "不能含数字或其他符号。"),
        /** The name has a space next to a Han character that normalization could not drop. */
        SPACE_NEXT_TO_HAN(true,
                "Write a Chinese name without spaces; join the parts of a transliterated name with '·'"
                        + " instead of a space.",
                "中文姓名请不要加空格；音译姓名的各部分请用“·”连接，不要用空格。"),
        /** The number is not a valid mainland China mobile number. */
        INVALID_MOBILE(false,
                "Send an 11-digit mainland China mobile number; a +86, 0086 or 86 prefix, spaces and hyphens"
                        + " are accepted.",
                "请填写 11 位中国大陆手机号码；可带 +86、0086 或 86 前缀，可含空格和连字符。");

        private final boolean refusesName;
        private final String english;
        private final String chinese;

        Reason(boolean refusesName, String english, String chinese) {
            this.refusesName = refusesName;
            this.english = english;
            this.chinese = chinese;
        }

        /** Whether the name was refused ({@code false}: the mobile number). */
        public boolean refusesName() {
            return refusesName;
        }

        /** What to send instead, in Chinese for a Chinese locale and in English otherwise. */
        public String hint(Locale locale) {
            return "zh".equals(locale.getLanguage()) ? chinese : english;
        }
    }
}
