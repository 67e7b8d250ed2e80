package cloud.phonematch.verify.precheck;

import java.text.Normalizer;

/**
 * Normalizing and validating the real name that is checked against the operator's records.
 *
 * <p>Why: the upstream API compares the name character by character, so harmless typing
 * differences (full-width letters, double spaces, the many look-alike middle dots used in
 * transliterated minority and foreign names such as "阿依古丽·买买提") would otherwise produce
 * false mismatches. Names that cannot possibly be a registered real name (digits, emoji, other
 * scripts, stray punctuation) are rejected locally so no paid call is wasted on them.
 *
 * <p>Chinese names are registered without spaces, so whitespace is never sent next to a Han character:
 * a short all-Han name loses its spaces in {@link #normalize(String)}, and any other name that keeps a
 * space next to a Han character is found by {@link #hasSpaceNextToHan(String)} and refused by the pre-check.
 */
public final class PersonNames {

    /** The one middle dot all name-separator dots are mapped to. */
    public static final char MIDDLE_DOT = '\u00B7';

    /** Bounds in Unicode code points, so that a supplementary-plane Han character counts as one. */
    private static final int MIN_CODE_POINTS = 2;
    private static final int MAX_CODE_POINTS = 64;

    /**
     * The most Han characters an all-Han name may have for its spaces to be dropped. Nearly every Chinese
     * name, surname and given name together, has two to four characters ("欧阳 娜娜"), and its parts are
     * registered without anything between them; a longer all-Han name with a space is as likely a
     * transliteration whose parts the registry joins with {@code ·}, which only the caller can tell.
     */
    private static final int MAX_HAN_TO_JOIN = 4;

    private PersonNames() {
    }

    /**
     * Reduces a typed name to its canonical spelling.
     *
     * <p>Steps: NFKC (full-width Latin becomes ASCII, U+3000 becomes a space, U+FF0E becomes
     * '.'); every run of Unicode whitespace becomes one ASCII space and leading/trailing
     * whitespace is removed; the dots {@code · ・ • ‧ .} all become U+00B7 {@code ·}, which is
     * the separator used in registered Chinese transliterations; spaces next to a {@code ·} are
     * removed ("A · B" becomes "A·B"); the typographic apostrophes U+2019 and U+02BC become {@code '};
     * finally, a name made only of Han characters and spaces, with at most four Han characters, loses its
     * spaces ("王 小 明" becomes "王小明"), because registered Chinese names have none. Nothing else is
     * removed, so invalid characters are kept and then fail {@link #isValid(String)}, and a longer Han
     * name or a Han–Latin mix keeps its space for {@link #hasSpaceNextToHan(String)} to find.
     *
     * <p>The function is idempotent: {@code normalize(normalize(x)).equals(normalize(x))}.
     *
     * @param raw user input, may be {@code null}
     * @return the normalized name; {@code ""} for {@code null}
     */
    public static String normalize(String raw) {
        if (raw == null) {
            return "";
        }
        String compatible = Normalizer.normalize(raw, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(compatible.length());
        boolean spacePending = false;
        for (int i = 0; i < compatible.length(); ) {
            int cp = compatible.codePointAt(i);
            i += Character.charCount(cp);
            if (UnicodeSpaces.isSpace(cp)) {
                spacePending = true;
            } else if (isSeparatorDot(cp)) {
                spacePending = false; // no space before a dot
                out.append(MIDDLE_DOT);
            } else {
                boolean afterDot = !out.isEmpty() && out.charAt(out.length() - 1) == MIDDLE_DOT;
                if (spacePending && !out.isEmpty() && !afterDot) {
                    out.append(' ');
                }
                spacePending = false; // leading spaces and spaces after a dot are dropped
                // Phones type O’Neil with a typographic apostrophe; registers hold the ASCII one.
                out.appendCodePoint(cp == '\u2019' || cp == '\u02BC' ? '\'' : cp);
            }
        }
        // Dropping spaces can make a combining mark adjacent to a new base character;
        // normalizing again keeps the whole function idempotent.
        return joinShortHanName(Normalizer.normalize(out, Normalizer.Form.NFKC));
    }

    /**
     * Tells whether a name has whitespace next to a Han character. Such a name is never sent: the registry
     * holds Chinese names without spaces and transliterated ones with {@code ·}, so the call could only be a
     * paid mismatch. After {@link #normalize(String)} this is true only for names with more than four Han
     * characters or with Han and other characters.
     *
     * @param normalized output of {@link #normalize(String)}, may be {@code null}
     * @return {@code true} if some whitespace stands right before or after a Han character
     */
    public static boolean hasSpaceNextToHan(String normalized) {
        if (normalized == null) {
            return false;
        }
        int previous = -1;
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (previous >= 0 && (UnicodeSpaces.isSpace(cp) && isHan(previous)
                    || UnicodeSpaces.isSpace(previous) && isHan(cp))) {
                return true;
            }
            previous = cp;
        }
        return false;
    }

    /** The spaces of an all-Han name of at most {@value #MAX_HAN_TO_JOIN} characters removed; else unchanged. */
    private static String joinShortHanName(String name) {
        if (name.indexOf(' ') < 0) {
            return name;
        }
        int han = 0;
        for (int i = 0; i < name.length(); ) {
            int cp = name.codePointAt(i);
            i += Character.charCount(cp);
            if (isHan(cp)) {
                han++;
            } else if (cp != ' ') {
                return name;
            }
        }
        return han <= MAX_HAN_TO_JOIN ? name.replace(" ", "") : name;
    }

    /**
     * Tells whether a normalized name can be a registered real name.
     *
     * <p>Accepted: 2 to 64 code points made of Han characters from any CJK block (including the
     * supplementary-plane extensions, which rare given names do use), Latin letters, and the
     * separators space, {@code -}, {@code '} and {@code ·}, where a separator may only stand
     * between two letters (never first, last or twice in a row). Han and Latin may be mixed.
     * Everything else (digits, emoji, punctuation, Cyrillic, Kana, ...) is rejected because it
     * cannot match a mainland real-name registration.
     *
     * @param normalized output of {@link #normalize(String)}, may be {@code null}
     * @return {@code true} if the name is acceptable
     */
    public static boolean isValid(String normalized) {
        if (normalized == null) {
            return false;
        }
        int length = normalized.codePointCount(0, normalized.length());
        if (length < MIN_CODE_POINTS || length > MAX_CODE_POINTS) {
            return false;
        }
        boolean previousWasSeparator = true; // forbids a leading separator
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (isSeparator(cp)) {
                if (previousWasSeparator) {
                    return false;
                }
                previousWasSeparator = true;
            } else if (isNameLetter(cp)) {
                previousWasSeparator = false;
            } else {
                return false;
            }
        }
        return !previousWasSeparator; // forbids a trailing separator
    }

    private static boolean isNameLetter(int cp) {
        return isHan(cp)
                || (Character.UnicodeScript.of(cp) == Character.UnicodeScript.LATIN && Character.isLetter(cp));
    }

    /** A character of the Han script, from any CJK block. */
    private static boolean isHan(int cp) {
        return Character.UnicodeScript.of(cp) == Character.UnicodeScript.HAN;
    }

    private static boolean isSeparator(int cp) {
        return cp == ' ' || cp == '-' || cp == '\'' || cp == MIDDLE_DOT;
    }

    /** Dots people type between the parts of a transliterated name; all mean U+00B7. */
    private static boolean isSeparatorDot(int cp) {
        return cp == MIDDLE_DOT
                || cp == '\u30FB' // KATAKANA MIDDLE DOT (Japanese and some Chinese IMEs)
                || cp == '\u2022' // BULLET
                || cp == '\u2027' // HYPHENATION POINT
                || cp == '\uFF0E' // FULLWIDTH FULL STOP (already '.' after NFKC)
                || cp == '.';
    }
}
