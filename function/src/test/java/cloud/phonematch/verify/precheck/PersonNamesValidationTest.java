package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PersonNamesValidationTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "张三",
        "欧阳娜娜",
        "阿依古丽·买买提",
        "𠀋一", // supplementary-plane Han (CJK Extension B)
        "𠀋𠀋", // two code points, four chars
        "李Lily",
        "John Smith",
        "O'Neil",
        "Jean-Luc Picard",
        "Mary Ann·Lee",
        "José",
        "Zoë",
        "Ab",
        "A-B",
        "〇一" // U+3007 IDEOGRAPHIC NUMBER ZERO belongs to the Han script
    })
    void acceptsHanAndLatinNamesWithSingleSeparators(String name) {
        assertTrue(PersonNames.isValid(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "张", // one code point
        "𠀋", // one code point although two chars
        "张3",
        "张三!",
        "·张三",
        "张三·",
        "张··三",
        "张--三",
        "张 -三",
        "O'",
        "John  Smith", // must be normalized first
        " 张三",
        "张三 ",
        "张\u3000三", // ideographic space is not a separator until normalized
        "张.三", // '.' is not a separator until normalized
        "😀张三",
        "张😀三",
        "Иван", // Cyrillic
        "カタカナ", // Katakana
        "김철수", // Hangul
        "张_三",
        "张\t三"
    })
    void rejectsEverythingElse(String name) {
        assertFalse(PersonNames.isValid(name));
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsNullAndEmpty(String name) {
        assertFalse(PersonNames.isValid(name));
    }

    @Test
    void countsCodePointsNotChars() {
        assertTrue(PersonNames.isValid("张".repeat(64)));
        assertFalse(PersonNames.isValid("张".repeat(65)));
        // 64 supplementary Han characters are 128 chars but only 64 code points
        assertTrue(PersonNames.isValid("𠀋".repeat(64)));
        assertFalse(PersonNames.isValid("𠀋".repeat(65)));
    }

    @ParameterizedTest
    @ValueSource(strings = { "阿依古丽 买买提", "欧阳 娜娜 娜", "张 Wei", "Wei 张", "Mary 张·Lee", "张 3",
            "张\u3000三", "张\t三", "𠀋 Li" })
    void findsASpaceNextToAHanCharacter(String name) {
        assertTrue(PersonNames.hasSpaceNextToHan(name));
    }

    @ParameterizedTest
    @ValueSource(strings = { "王小明", "阿依古丽·买买提", "John Smith", "Mary Ann·Lee", "李Lily", "张-Wei", " Li",
            "" })
    void findsNoSpaceNextToAHanCharacter(String name) {
        assertFalse(PersonNames.hasSpaceNextToHan(name));
    }

    @Test
    void aNullNameHasNoSpaceNextToAHanCharacter() {
        assertFalse(PersonNames.hasSpaceNextToHan(null));
    }

    @Test
    void rawInputBecomesValidAfterNormalization() {
        assertTrue(PersonNames.isValid(PersonNames.normalize("John  Smith")));
        assertTrue(PersonNames.isValid(PersonNames.normalize(" 阿依古丽 ・ 买买提 ")));
        assertTrue(PersonNames.isValid(PersonNames.normalize("Ｊｅａｎ－Ｌｕｃ")));
    }
}
