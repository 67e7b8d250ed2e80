package cloud.phonematch.verify.upstream;

import static cloud.phonematch.verify.support.TestPeople.LATIN_NAME;
import static cloud.phonematch.verify.support.TestPeople.MOBILE;
import static cloud.phonematch.verify.support.TestPeople.MOBILE_2;
import static cloud.phonematch.verify.support.TestPeople.OTHER_NAME;
import static cloud.phonematch.verify.support.TestPeople.TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.logging.Level;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import cloud.phonematch.verify.support.RecordedLogs;
import cloud.phonematch.verify.verification.ApiToken;

/** What may be passed on of the API's text, and what a drop leaves in the log. */
class UpstreamTextTest {
    private static final String HOSTILE = "denied for " + OTHER_NAME + " " + MOBILE + " Bearer " + TOKEN;
    private final UpstreamText text = UpstreamText.forRequest(new ApiToken(TOKEN), OTHER_NAME, MOBILE);

    @ParameterizedTest
    @ValueSource(strings = { "used_up", "token_mismatched", "a", "0", "-9", "trace-err-502",
            "1-5f8a3b2c-0123456789abcdef01234567", "urn:trace:ab.cd_EF-09", "139123" })
    void shortCodesOfTheSafeCharactersPass(String value) {
        assertEquals(value, text.pass("upstream_code", value));
    }

    @Test
    void sixtyFourCharactersPassAndSixtyFiveDoNot() {
        String at64 = "x".repeat(64);
        assertEquals(at64, text.pass("upstream_trace_id", at64));
        assertNull(text.pass("upstream_trace_id", at64 + "x"));
        assertEquals(UpstreamText.Drop.TOO_LONG, text.judge(at64 + "x"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "拒绝", "denied for 欧阳", "has space", "tab\there", "line\nbreak", "cr\r", "quote\"",
            "slash/", "plus+", "percent%", "comma,", "{json}", "ａｂｃ", "e\u0301" })
    void anythingOutsideTheSafeCharactersIsDropped(String value) {
        assertNull(text.pass("upstream_code", value));
        assertEquals(UpstreamText.Drop.CHARACTERS, text.judge(value));
    }

    @Test
    void emptyIsDroppedAndAbsentIsNothingToPass() {
        assertEquals(UpstreamText.Drop.EMPTY, text.judge(""));
        assertNull(text.pass("upstream_code", ""));
        assertNull(text.pass("upstream_code", null));
    }

    @Test
    void anEchoOfTheRequestsTokenOrNumberIsDroppedThoughItsCharactersAreSafe() {
        assertEquals(UpstreamText.Drop.ECHOES_TOKEN, text.judge("denied:" + TOKEN));
        assertEquals(UpstreamText.Drop.ECHOES_NUMBER, text.judge("x" + MOBILE + "y"));
        assertEquals(UpstreamText.Drop.ECHOES_NUMBER, text.judge(MOBILE));
        assertNull(text.pass("upstream_code", TOKEN));
    }

    @Test
    void anEchoOfALatinNameIsDroppedInAnyCaseAndWithoutItsSeparators() {
        UpstreamText latin = UpstreamText.forRequest(new ApiToken(TOKEN), LATIN_NAME, MOBILE);
        assertEquals(UpstreamText.Drop.ECHOES_NAME, latin.judge("JEANLUCPICARD-denied"));
        assertEquals(UpstreamText.Drop.ECHOES_NAME, latin.judge("x.jeanlucpicard"));
        assertEquals("jean-luc", latin.pass("upstream_code", "jean-luc"), "a part of the name is no echo of it");
    }

    @Test
    void anyoneElsesMobileNumberAsADigitRunOfItsOwnIsDropped() {
        assertEquals(UpstreamText.Drop.MOBILE_NUMBER, text.judge("trace-" + MOBILE_2));
        // Inside a longer run of digits or letters it is no number of its own (a hex id may hold such digits).
        assertNull(text.judge("a" + MOBILE_2 + "f"));
        assertNull(text.judge("9" + MOBILE_2));
    }

    @Test
    void withoutATokenAsForTheSandboxTheOtherChecksStillHold() {
        UpstreamText sandbox = UpstreamText.forRequest(null, OTHER_NAME, MOBILE);
        assertEquals("tok-live-1", sandbox.pass("upstream_code", "tok-live-1"));
        assertNull(sandbox.pass("upstream_code", MOBILE));
    }

    @Test
    void eachDropIsOneWarningThatNamesTheFieldAndReasonButNeverTheValue() {
        List<RecordedLogs.Message> logged;
        try (RecordedLogs logs = RecordedLogs.start()) {
            text.pass("upstream_code", HOSTILE);
            text.pass("upstream_trace_id", "t".repeat(100_000));
            text.pass("upstream_code", "kept");
            logged = logs.messages().stream().filter(m -> m.logger().equals(UpstreamText.LOGGER)).toList();
        }
        assertEquals(2, logged.size(), "one line a drop, none for a value passed on: " + logged);
        assertEquals(Level.WARNING.intValue(), logged.get(0).level().intValue());
        assertEquals("dropped the API's upstream_code: characters (" + HOSTILE.length() + " characters)",
                logged.get(0).message());
        assertEquals("dropped the API's upstream_trace_id: too_long (100000 characters)", logged.get(1).message());
        for (RecordedLogs.Message m : logged) {
            for (String secret : List.of(OTHER_NAME, MOBILE, TOKEN, "Bearer", "ttt")) {
                assertFalse(m.message().contains(secret), m.message());
            }
        }
    }
}
