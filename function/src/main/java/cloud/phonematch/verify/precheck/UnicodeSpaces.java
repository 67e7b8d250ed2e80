package cloud.phonematch.verify.precheck;

/**
 * One definition of "whitespace" shared by the name and mobile normalizers.
 *
 * <p>Why: {@link Character#isWhitespace(int)} alone misses the no-break spaces (U+00A0, U+2007,
 * U+202F) and {@link Character#isSpaceChar(int)} alone misses tab and newline. User input pasted
 * from chat apps, spreadsheets or a Chinese IME (ideographic space U+3000) contains all of them,
 * so both normalizers treat the union as whitespace.
 */
final class UnicodeSpaces {

    private UnicodeSpaces() {
    }

    /** True for any Unicode whitespace or space separator code point. */
    static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }
}
