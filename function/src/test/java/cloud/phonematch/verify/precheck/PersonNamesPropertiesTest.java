package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class PersonNamesPropertiesTest {

    @Property(tries = 300)
    void normalizeIsIdempotent(@ForAll("nameLikeText") String raw) {
        String once = PersonNames.normalize(raw);
        assertEquals(once, PersonNames.normalize(once));
    }

    @Property(tries = 300)
    void anyTwoToSixtyFourHanCodePointsAreValid(@ForAll("hanNames") String name) {
        int codePoints = name.codePointCount(0, name.length());
        assertTrue(codePoints >= 2 && codePoints <= 64);
        assertTrue(PersonNames.isValid(name));
        assertEquals(name, PersonNames.normalize(name));
    }

    @Property(tries = 300)
    void anyNameContainingADigitIsInvalid(@ForAll("namesWithADigit") String name) {
        assertFalse(PersonNames.isValid(name));
        assertFalse(PersonNames.isValid(PersonNames.normalize(name)));
    }

    @Property(tries = 300)
    void normalizedSeparatorsNeverTouchASpace(@ForAll("nameLikeText") String raw) {
        String normalized = PersonNames.normalize(raw);
        assertFalse(normalized.contains(" ·") || normalized.contains("· ") || normalized.contains("  "));
        assertEquals(normalized.strip(), normalized);
    }

    /**
     * Whitespace is never sent next to a Han character: after normalization such a name is refused by the
     * pre-check, whether it enforces its other rules or not. (Written here with a regular expression, not with
     * the code under test.)
     */
    @Property(tries = 1000)
    void aSpaceNextToAHanCharacterSurvivesNormalizationOnlyToBeRefused(@ForAll("nameLikeText") String raw) {
        if (SPACE_NEXT_TO_HAN.matcher(PersonNames.normalize(raw)).find()) {
            for (boolean enforce : new boolean[] { true, false }) {
                PreCheckResult result = new PreCheck(enforce).check(raw, "13912345678");
                assertTrue(result instanceof PreCheckResult.Rejected rejected && rejected.reason().refusesName(),
                        "enforce=" + enforce + ": " + result);
            }
        }
        for (boolean enforce : new boolean[] { true, false }) {
            if (new PreCheck(enforce).check(raw, "13912345678") instanceof PreCheckResult.Passed passed) {
                assertFalse(SPACE_NEXT_TO_HAN.matcher(passed.name()).find(), "enforce=" + enforce);
            }
        }
    }

    @Property(tries = 300)
    void shortHanNamesTypedWithSpacesLoseThem(@ForAll("spacedShortHanNames") Tuple.Tuple2<String, String> name) {
        String typed = name.get1();
        String joined = name.get2();
        assertEquals(joined, PersonNames.normalize(typed));
        assertEquals(new PreCheckResult.Passed(joined, "13912345678"), new PreCheck(false).check(typed, "13912345678"));
        assertTrue(new PreCheck(true).check(typed, "13912345678") instanceof PreCheckResult.Passed);
    }

    @Property(tries = 300)
    void longerHanNamesWithASpaceAreRefused(@ForAll("spacedLongHanNames") String typed) {
        assertEquals(new PreCheckResult.Rejected(PreCheckResult.Reason.SPACE_NEXT_TO_HAN, "139****5678"),
                new PreCheck(false).check(typed, "13912345678"));
    }

    private static final Pattern SPACE_NEXT_TO_HAN = Pattern.compile("\\p{IsHan}[\\s\\p{Z}]|[\\s\\p{Z}]\\p{IsHan}");

    private static final Arbitrary<Integer> HAN = Arbitraries.oneOf(
            Arbitraries.integers().between(0x4E00, 0x9FFF),
            Arbitraries.integers().between(0x20000, 0x2A6DF));

    /** Whitespace a user might type between the characters of a name: ASCII, ideographic, no-break, tab. */
    private static final Arbitrary<String> SPACES = Arbitraries.of(" ", "\u3000", "\u00A0", "\t", "  ")
            .list().ofMinSize(1).ofMaxSize(2).map(parts -> String.join("", parts));

    /** Two to four Han characters with whitespace somewhere between or around them, and the name without it. */
    @Provide
    Arbitrary<Tuple.Tuple2<String, String>> spacedShortHanNames() {
        return HAN.list().ofMinSize(2).ofMaxSize(4).flatMap(chars -> SPACES.injectNull(0.5)
                .list().ofSize(chars.size() + 1)
                .filter(gaps -> gaps.stream().anyMatch(java.util.Objects::nonNull))
                .map(gaps -> {
                    StringBuilder typed = new StringBuilder();
                    for (int i = 0; i < chars.size(); i++) {
                        typed.append(gaps.get(i) == null ? "" : gaps.get(i)).appendCodePoint(chars.get(i));
                    }
                    typed.append(gaps.get(chars.size()) == null ? "" : gaps.get(chars.size()));
                    return Tuple.of(typed.toString(), fromCodePoints(chars));
                }));
    }

    /** Five to sixty Han characters with whitespace between two of them. */
    @Provide
    Arbitrary<String> spacedLongHanNames() {
        return Combinators.combine(HAN.list().ofMinSize(5).ofMaxSize(60), SPACES, Arbitraries.integers().between(1, 59))
                .as((chars, space, at) -> {
                    int split = Math.min(at, chars.size() - 1);
                    return fromCodePoints(chars.subList(0, split)) + space
                            + fromCodePoints(chars.subList(split, chars.size()));
                });
    }

    @Provide
    Arbitrary<String> hanNames() {
        Arbitrary<Integer> han = Arbitraries.oneOf(
                Arbitraries.integers().between(0x4E00, 0x9FFF),
                Arbitraries.integers().between(0x20000, 0x2A6DF));
        return han.list().ofMinSize(2).ofMaxSize(64).map(PersonNamesPropertiesTest::fromCodePoints);
    }

    @Provide
    Arbitrary<String> namesWithADigit() {
        Arbitrary<Integer> letter = Arbitraries.oneOf(
                Arbitraries.integers().between(0x4E00, 0x9FFF),
                Arbitraries.integers().between(0x20000, 0x2A6DF),
                Arbitraries.integers().between('a', 'z'),
                Arbitraries.integers().between('A', 'Z'));
        // ASCII, full-width, Arabic-Indic, Devanagari and mathematical bold digits
        Arbitrary<Integer> digit = Arbitraries.oneOf(
                Arbitraries.integers().between('0', '9'),
                Arbitraries.integers().between(0xFF10, 0xFF19),
                Arbitraries.integers().between(0x0660, 0x0669),
                Arbitraries.integers().between(0x0966, 0x096F),
                Arbitraries.integers().between(0x1D7CE, 0x1D7D7));
        return Combinators.combine(letter.list().ofMinSize(1).ofMaxSize(63), digit, Arbitraries.integers().between(0, 63))
                .as((letters, d, position) -> {
                    List<Integer> codePoints = new java.util.ArrayList<>(letters);
                    codePoints.add(Math.min(position, codePoints.size()), d);
                    return fromCodePoints(codePoints);
                });
    }

    /** Han, Latin, all kinds of spaces and dots, separators, digits, full-width forms, marks, emoji. */
    @Provide
    Arbitrary<String> nameLikeText() {
        Arbitrary<Integer> interesting = Arbitraries.of(
                (int) '张', (int) '三', 0x20B9F, (int) 'A', (int) 'e', (int) ' ', 0x3000, 0x00A0, (int) '\t',
                0x00B7, 0x30FB, 0xFF65, 0x2022, 0x2027, 0xFF0E, (int) '.', (int) '-', (int) '\'', (int) '3',
                0xFF21, 0x0301, 0x0308, 0x0316, 0x3099, 0x1F600, 0x0418);
        Arbitrary<Integer> any = Arbitraries.integers().between(0, Character.MAX_CODE_POINT);
        return Arbitraries.frequencyOf(Tuple.of(9, interesting), Tuple.of(1, any))
                .list().ofMaxSize(30)
                .map(PersonNamesPropertiesTest::fromCodePoints);
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder s = new StringBuilder();
        codePoints.forEach(s::appendCodePoint);
        return s.toString();
    }
}
