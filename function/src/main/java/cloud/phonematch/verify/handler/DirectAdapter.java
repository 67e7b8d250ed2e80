package cloud.phonematch.verify.handler;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.verification.Caller;
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
        if (source != EventSource.DIRECT) {
            return refuse(source, base, new FailureException(Failure.of(ErrorType.INVALID_REQUEST,
                    "unsupported event: send {\"name\", \"mobile\"} directly or through API Gateway")));
        }
        String requestId = base.requestId();
        return answer(runner.run(source, Caller.DIRECT, base, event, e -> RequestFields.read(e, Language.EN, requestId)).result(),
                requestId);
    }

    /** Refuses an event before any request is read: always throws the refusal's typed exception. */
    ObjectNode refuse(EventSource source, Invocation base, FailureException refusal) {
        return answer(runner.refuse(source, Caller.DIRECT, base, refusal).result(), base.requestId());
    }

    private static ObjectNode answer(VerificationResult result, String requestId) {
        return switch (result) {
            case VerificationResult.Answered answered -> answered.outcome().toJson();
            case VerificationResult.Failed failed -> throw failed.failure().toException(requestId);
        };
    }
}
