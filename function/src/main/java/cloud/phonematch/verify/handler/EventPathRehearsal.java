package cloud.phonematch.verify.handler;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import cloud.phonematch.verify.json.Json;
import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.FailureJson;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.precheck.PersonNames;
import cloud.phonematch.verify.priming.LocalRehearsal;
import cloud.phonematch.verify.priming.Placeholders;

/**
 * What the handler does in every invocation before and after the flow, on placeholders: an API Gateway v2 event and a
 * direct event read through the JSON mapper into the request's fields, the pre-check with libphonenumber's China
 * metadata and carrier tables, and an answer and a failure rendered as JSON. The early warm invocations are where the
 * warm p99 is made (bench/results/history/2026-11-30-cold-start-and-priming.md).
 */
@Singleton
public class EventPathRehearsal implements LocalRehearsal {
    private static final Logger LOG = Logger.getLogger(EventPathRehearsal.class);
    private static final String HTTP_EVENT = "{\"version\":\"2.0\",\"rawPath\":\"/verifications\","
            + "\"headers\":{\"accept-language\":\"zh\"},"
            + "\"requestContext\":{\"http\":{\"method\":\"POST\",\"path\":\"/verifications\"},\"stage\":\"$default\"},"
            + "\"body\":\"{\\\"name\\\":\\\"" + Placeholders.NAME + "\\\",\\\"mobile\\\":\\\"" + Placeholders.MOBILE
            + "\\\"}\",\"isBase64Encoded\":false}";
    /** A direct event, and the body of an API Gateway event: the placeholder name and number. */
    static final String DIRECT_EVENT = "{\"name\":\"" + Placeholders.NAME + "\",\"mobile\":\""
            + Placeholders.MOBILE + "\"}";

    @Override
    public void rehearse() {
        try {
            JsonNode node = Json.STRICT_READER.readTree(HTTP_EVENT.getBytes(StandardCharsets.UTF_8));
            HttpRequestView view = HttpRequestView.fromV2(node);
            RequestFields.read(Json.STRICT_READER.readTree(view.body()),
                    Language.fromAcceptLanguage(view.header("accept-language")), Placeholders.ID);
            EventSource.of(node);
            JsonNode direct = Json.STRICT_READER.readTree(DIRECT_EVENT);
            EventSource.of(direct);
            RequestFields.read(direct, Language.EN, Placeholders.ID);
        } catch (Exception e) {
            LOG.debugf("rehearsing the event's JSON failed: %s", e.getClass().getSimpleName());
        }
        String mobile = MobileNumbers.normalize("+86 138-0000-0000");
        MobileNumbers.isValidMainlandMobile(mobile);
        MobileNumbers.carrier(mobile, Locale.ENGLISH);
        MobileNumbers.carrier(mobile, Locale.SIMPLIFIED_CHINESE);
        PersonNames.isValid(PersonNames.normalize("测试 · Test"));
        Json.write(new Outcome(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT, "", MobileNumbers.mask(mobile),
                null, Outcome.AnsweredBy.API, 1, Placeholders.ID, Placeholders.ID, null, 0, null).toJson());
        FailureJson.render(Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, Placeholders.ID), Placeholders.ID);
    }
}
