package cloud.phonematch.verify.handler;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.verification.FailureException;
import cloud.phonematch.verify.verification.Invocation;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * Direct invocation (Step Functions task, {@code aws lambda invoke}, {@code sam local invoke}): the event is
 * the request object, the answer the outcome object, and a failure a thrown typed exception so that a state
 * machine can {@code Retry}/{@code Catch} on its class name.
 */
@ApplicationScoped
class DirectAdapter {
    private final InvocationRunner runner;

    DirectAdapter(InvocationRunner runner) {
        this.runner = runner;
    }

    ObjectNode handle(EventSource source, JsonNode event, Invocation base) {
        String requestId = base.requestId();
        VerificationResult result = source == EventSource.DIRECT
                ? runner.run(source, base, event, e -> RequestFields.read(e, Language.EN, requestId)).result()
                : runner.refuse(source, base, new FailureException(Failure.of(ErrorType.INVALID_REQUEST,
                        "unsupported event: send {\"name\", \"mobile\"} directly or through API Gateway"))).result();
        return switch (result) {
            case VerificationResult.Answered answered -> answered.outcome().toJson();
            case VerificationResult.Failed failed -> throw failed.failure().toException(requestId);
        };
    }
}
