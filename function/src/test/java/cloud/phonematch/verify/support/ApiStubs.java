package cloud.phonematch.verify.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.util.List;

import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

/** The verification API's documented answers, for the WireMock fake. */
public final class ApiStubs {
    public static final String PATH = "/identity/phone/check-2e";

    private ApiStubs() {
    }

    public static MappingBuilder check() {
        return post(urlEqualTo(PATH));
    }

    public static ResponseDefinitionBuilder result(String code) {
        return json(200, "{\"result\":\"" + code + "\",\"description\":\"upstream text\",\"trace_id\":\"trace-" + code
                .replace("-", "m") + "\"}");
    }

    public static ResponseDefinitionBuilder error(int status, String code) {
        return json(status, "{\"error\":{\"code\":\"" + code + "\",\"message\":\"upstream says " + code
                + "\"},\"trace_id\":\"trace-err-" + status + "\"}");
    }

    public static ResponseDefinitionBuilder json(int status, String body) {
        return aResponse().withStatus(status).withHeader("Content-Type", "application/json").withBody(body);
    }

    public static void answer(ResponseDefinitionBuilder response) {
        FakeApis.api().stubFor(check().willReturn(response));
    }

    /** These answers, one a call in this order, the last repeated for every call after. */
    public static void answerInOrder(ResponseDefinitionBuilder... responses) {
        String state = Scenario.STARTED;
        for (int i = 0; i < responses.length; i++) {
            String next = i == responses.length - 1 ? state : "answer-" + (i + 1);
            FakeApis.api().stubFor(check().inScenario("in-order").whenScenarioStateIs(state)
                    .willReturn(responses[i]).willSetStateTo(next));
            state = next;
        }
    }

    public static List<LoggedRequest> calls() {
        return FakeApis.api().findAll(postRequestedFor(urlEqualTo(PATH)));
    }
}
