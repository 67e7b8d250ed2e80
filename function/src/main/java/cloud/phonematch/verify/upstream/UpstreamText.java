package cloud.phonematch.verify.upstream;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jboss.logging.Logger;

import cloud.phonematch.verify.verification.ApiToken;

/**
 * The only way a piece of text from the API's replies (an error code, a trace id, an unknown result code) is passed on
 * into an answer, an exception, a log line or a metric. The API is outside the function and may echo what it was
 * sent, or send anything at all, so a value passes only when it is short, of a safe character set, and holds none of
 * what the request it answers carried: the token, the name and the mobile number. Anything else is dropped (null).
 * <p>
 * Each drop is one WARN line on the logger {@value #LOGGER}, naming the field, the reason and the length, never the
 * value; the stack counts these lines as the metric {@code UpstreamTextDropped} (a metric filter in template.yaml).
 */
public final class UpstreamText {
    public static final String LOGGER = "cloud.phonematch.verify.upstream.text";
    /** The longest value passed on: longer than any code or trace id the API documents, short enough for a log. */
    public static final int MAX_LENGTH = 64;

    private static final Logger LOG = Logger.getLogger(LOGGER);
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_.:-]{1," + MAX_LENGTH + "}");
    /**
     * A mainland mobile number standing as a digit run of its own: the request's own is caught below wherever it
     * stands, this catches anyone else's (an API that mixes up requests).
     */
    private static final Pattern MOBILE = Pattern.compile("(?<![0-9A-Za-z])1[3-9][0-9]{9}(?![0-9A-Za-z])");

    /** Why a value was dropped; the names are what the WARN line says. */
    enum Drop {
        EMPTY, TOO_LONG, CHARACTERS, ECHOES_TOKEN, ECHOES_NAME, ECHOES_NUMBER, MOBILE_NUMBER;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final ApiToken token;
    /** The request's name as sent and without its separators, lower-cased (a Latin name may come back in any case). */
    private final List<String> names;
    private final String mobile;

    private UpstreamText(ApiToken token, String name, String mobile) {
        this.token = token;
        this.names = new ArrayList<>(2);
        if (name != null && !name.isBlank()) {
            String lower = name.toLowerCase(Locale.ROOT);
            names.add(lower);
            String joined = lower.replaceAll("[\\s\\u00B7.\\-]", "");
            if (!joined.isEmpty() && !joined.equals(lower)) {
                names.add(joined);
            }
        }
        this.mobile = mobile == null || mobile.isBlank() ? null : mobile;
    }

    /**
     * For the replies to one request: the token it was sent with (null for none) and its name and number in the
     * normalized form the API received.
     */
    public static UpstreamText forRequest(ApiToken token, String name, String mobile) {
        return new UpstreamText(token, name, mobile);
    }

    /**
     * The value when it may be passed on, else null (and one WARN line).
     *
     * @param field the name the value would be passed on under, e.g. {@code upstream_code}: the only thing logged
     */
    public String pass(String field, String value) {
        if (value == null) {
            return null;
        }
        Drop drop = judge(value);
        if (drop == null) {
            return value;
        }
        LOG.warnf("dropped the API's %s: %s (%d characters)", field, drop.label(), value.length());
        return null;
    }

    /** Why the value may not be passed on, or null when it may. */
    Drop judge(String value) {
        if (value.isEmpty()) {
            return Drop.EMPTY;
        }
        if (value.length() > MAX_LENGTH) {
            return Drop.TOO_LONG;
        }
        if (!SAFE.matcher(value).matches()) {
            return Drop.CHARACTERS;
        }
        if (token != null && token.appearsIn(value)) {
            return Drop.ECHOES_TOKEN;
        }
        String lower = value.toLowerCase(Locale.ROOT);
        for (String name : names) {
            if (lower.contains(name)) {
                return Drop.ECHOES_NAME;
            }
        }
        if (mobile != null && value.contains(mobile)) {
            return Drop.ECHOES_NUMBER;
        }
        if (MOBILE.matcher(value).find()) {
            return Drop.MOBILE_NUMBER;
        }
        return null;
    }
}
