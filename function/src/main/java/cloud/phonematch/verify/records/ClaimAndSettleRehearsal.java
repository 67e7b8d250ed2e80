package cloud.phonematch.verify.records;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import cloud.phonematch.verify.aws.AwsJsonClient;
import cloud.phonematch.verify.output.Language;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.precheck.MobileNumbers;
import cloud.phonematch.verify.priming.Placeholders;
import cloud.phonematch.verify.priming.PlayedService;
import cloud.phonematch.verify.priming.ServiceRehearsal;
import cloud.phonematch.verify.verification.ChargeRule;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.VerificationRecords;
import cloud.phonematch.verify.verification.VerificationResult;
import cloud.phonematch.verify.verification.Verdict;

/**
 * An idempotency key's claim and settle on DynamoDB, rehearsed: the HMACs, the item's JSON and two signed conditional
 * writes, through records of their own (a store on a client set up as the function's, pointed at the loopback server,
 * and a placeholder hash key): the function's own store and keys are untouched.
 */
@Singleton
public class ClaimAndSettleRehearsal implements ServiceRehearsal {
    public static final String SERVICE = "DynamoDB";

    private final RecordsSettings settings;
    private final ChargeRule rule;
    private final Clock clock;

    public ClaimAndSettleRehearsal(RecordsSettings settings, ChargeRule rule, Clock clock) {
        this.settings = settings;
        this.rule = rule;
        this.clock = clock;
    }

    /** Every write answered as one that was made (PutItem, UpdateItem, DeleteItem without return values: {@code {}}). */
    @Override
    public PlayedService played() {
        return DynamoDbRecordStore.DYNAMODB.played(SERVICE, "{}");
    }

    /** The same signer and chains as the token's read, which precedes it in every invocation. */
    @Override
    public List<String> firstCallClasses() {
        return List.of();
    }

    @Override
    public Run open(URI loopback, Duration timeout) {
        AwsJsonClient client = AwsJsonClient.rehearsal(DynamoDbRecordStore.DYNAMODB, loopback,
                Placeholders.credentials(), timeout, clock);
        VerificationRecords records = new StoredVerificationRecords(DynamoDbRecordStore.through(client,
                Placeholders.ID, timeout), deadline -> new RecordHashing(Placeholders.hashKey()), clock,
                new RecordsTiming(settings.idempotencyTtl(), settings.clockSkewMargin()), rule);
        VerificationRecords.KeyedRequest request = new VerificationRecords.KeyedRequest(Placeholders.ID, null,
                Placeholders.NAME, Placeholders.MOBILE, false);
        return new Run() {
            @Override
            public void round() {
                Deadline deadline = Placeholders.deadline(timeout);
                if (records.claim(request, deadline) instanceof VerificationRecords.Claim.Granted granted) {
                    records.settle(granted, answered(), deadline);
                }
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    /** A charged answer, as the settle of a claim records it. */
    private static VerificationResult answered() {
        String masked = MobileNumbers.mask(Placeholders.MOBILE);
        return new VerificationResult.Answered(new Verdict(VerificationStatus.CONSISTENT, ResultCode.CONSISTENT,
                masked, Outcome.AnsweredBy.API, Placeholders.ID, null), new Outcome(VerificationStatus.CONSISTENT,
                ResultCode.CONSISTENT, ResultCode.CONSISTENT.description(Language.EN), masked, null,
                Outcome.AnsweredBy.API, 1, Placeholders.ID, Placeholders.ID, Placeholders.ID, 0, null), 0);
    }
}
