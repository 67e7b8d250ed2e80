package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
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
