package cloud.phonematch.verify.precheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PersonNamesNormalizeTest {

    static Stream<Arguments> examples() {
        return Stream.of(
                Arguments.of("张三", "张三"),
                Arguments.of("  张三  ", "张三"),
                Arguments.of("\u3000张三\u3000", "张三"),
                Arguments.of("John  Smith", "John Smith"),
                Arguments.of("John\u3000\u3000Smith", "John Smith"),
                Arguments.of("John\t\n Smith", "John Smith"),
                Arguments.of("John\u00A0Smith", "John Smith"),
                Arguments.of("Ｊｏｈｎ　Ｓｍｉｔｈ", "John Smith"),
                Arguments.of("Jean-Luc Picard", "Jean-Luc Picard"),
                Arguments.of("O'Neil", "O'Neil"),
                Arguments.of("O\u2019Neil", "O'Neil"),
                Arguments.of("D\u02BCArcy", "D'Arcy"),
                Arguments.of("阿依古丽·买买提", "阿依古丽·买买提"),
                Arguments.of("阿依古丽\u30FB买买提", "阿依古丽·买买提"),
                Arguments.of("阿依古丽\uFF65买买提", "阿依古丽·买买提"), // half-width katakana dot, NFKC -> U+30FB
                Arguments.of("阿依古丽\u2022买买提", "阿依古丽·买买提"),
                Arguments.of("阿依古丽\u2027买买提", "阿依古丽·买买提"),
                Arguments.of("阿依古丽\uFF0E买买提", "阿依古丽·买买提"),
                Arguments.of("阿依古丽.买买提", "阿依古丽·买买提"),
                Arguments.of("阿依古丽 · 买买提", "阿依古丽·买买提"),
                Arguments.of("阿依古丽\u3000・\u3000买买提", "阿依古丽·买买提"),
                Arguments.of("A · B", "A·B"),
                Arguments.of("Mary Ann · Lee", "Mary Ann·Lee"),
                Arguments.of(" · 张三 · ", "·张三·"),
                Arguments.of("张 · · 三", "张··三"),
                Arguments.of("张3", "张3"),
                Arguments.of("张三!", "张三!"),
                Arguments.of("张\uFF13", "张3"),
                Arguments.of("Jose\u0301", "Jos\u00E9"),
                // all-Han names of up to four characters lose their spaces: registered Chinese names have none
                Arguments.of("王 小 明", "王小明"),
                Arguments.of("欧阳 娜娜", "欧阳娜娜"),
                Arguments.of(" 王\u3000小\u00A0明 ", "王小明"),
                Arguments.of("张  三", "张三"),
                Arguments.of("𠀋 一", "𠀋一"),
                Arguments.of("〇 一", "〇一"),
                // longer ones and Han-Latin mixes keep their space, for the pre-check to refuse
                Arguments.of("阿依古丽 买买提", "阿依古丽 买买提"),
                Arguments.of("欧阳 娜娜 娜", "欧阳 娜娜 娜"),
                Arguments.of("张 Wei", "张 Wei"),
                Arguments.of("Wei 张", "Wei 张"),
                Arguments.of("张 3", "张 3"),
                // a dot, not a space, joins a transliteration's parts; spaces around it go
                Arguments.of("王 小·明", "王 小·明"),
                Arguments.of("阿依古丽 · 买买提", "阿依古丽·买买提"));
    }

    @ParameterizedTest(name = "[{index}] \"{0}\" -> \"{1}\"")
    @MethodSource("examples")
    void normalizesWhitespaceAndSeparatorDots(String raw, String expected) {
        assertEquals(expected, PersonNames.normalize(raw));
    }

    @Test
    void nullAndBlankBecomeEmpty() {
        assertEquals("", PersonNames.normalize(null));
        assertEquals("", PersonNames.normalize(""));
        assertEquals("", PersonNames.normalize(" \u3000\t "));
    }
}
