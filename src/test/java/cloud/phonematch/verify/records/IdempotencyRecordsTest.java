package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import cloud.phonematch.verify.output.ErrorType;
import cloud.phonematch.verify.output.Failure;
import cloud.phonematch.verify.output.InvalidRequestException;
import cloud.phonematch.verify.output.OutcomeUnknownException;
import cloud.phonematch.verify.output.Outcome;
import cloud.phonematch.verify.output.RecordsUnavailableException;
import cloud.phonematch.verify.output.RequestInProgressException;
import cloud.phonematch.verify.output.ResultCode;
import cloud.phonematch.verify.output.VerificationStatus;
import cloud.phonematch.verify.support.MutableClock;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.VerificationRecords.Claim;
import cloud.phonematch.verify.verification.VerificationRecords.KeyedRequest;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * Every idempotency rule, on the in-memory store with a clock that only moves when told to. Two
 * {@link IdempotencyRecords} over one store and one hash key stand for two containers sharing a table.
 */
class IdempotencyRecordsTest {
    private static final Duration TTL = Duration.ofHours(24);
    private static final String NAME = "张三丰";
    private static final String MOBILE = "13912345670";
    private static final String OTHER_MOBILE = "13912345671";
    private static final String KEY = "order-7781:verify";

    private final MutableClock clock = new MutableClock();
    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final HashKeys hashing = HashKeys.perContainer();
    private final IdempotencyRecords records = records(false);
    /** A store that loses replies, and a container on it. */
    private final LostReplyStore lossy = new LostReplyStore();
    private final IdempotencyRecords onLossy = over(lossy);

    private IdempotencyRecords records(boolean retryMaybeCharged) {
        return new IdempotencyRecords(store, hashing, clock, TTL, retryMaybeCharged);
    }

    /** Another container on {@code store}, with the same hash key and clock. */
    private IdempotencyRecords over(RecordStore other) {
        return new IdempotencyRecords(other, hashing, clock, TTL, false);
    }

    private static Deadline deadline() {
        return RecordsTesting.tenSeconds();
    }

    private static KeyedRequest request(String mobile) {
        return new KeyedRequest(KEY, NAME, mobile);
    }

    private static Outcome consistent() {
        return RecordsTesting.consistent();
    }

    private Claim.Granted granted() {
        return assertInstanceOf(Claim.Granted.class, records.claim(request(MOBILE), deadline()));
    }

    private static Failure refusal(Claim claim) {
        return assertInstanceOf(Claim.Refused.class, claim).failure();
    }

    @Test
    void anAnswerIsReplayedToARepeatWithNothingCharged() {
        records.settle(granted(), new VerificationResult.Answered(consistent(), 120), deadline());

        Claim.Replayed replayed = assertInstanceOf(Claim.Replayed.class, records.claim(request(MOBILE), deadline()));
        Outcome again = replayed.outcome().replayedAs("req-2", "corr-2", 3);

        assertEquals(VerificationStatus.CONSISTENT, again.status());
        assertEquals("139****5670", again.maskedMobile());
        assertEquals("China Mobile", again.carrier());
        assertEquals("trace-1", again.upstreamTraceId());
        assertEquals("req-2", again.requestId());
        assertEquals(0, again.attempts());
        assertTrue(again.replayed());
        assertFalse(again.billable(), "the first invocation paid for it");
        assertTrue(again.toJson().path("replayed").asBoolean());
    }

    @Test
    void aLocalPreCheckAnswerIsReplayedToo() {
        Outcome local = new Outcome(VerificationStatus.INVALID_MOBILE, ResultCode.INVALID_MOBILE,
                "Mobile number is invalid", "123****4567", null, Outcome.AnsweredBy.PRECHECK, 0, "r", "c", null, 1,
                "Send an 11-digit mainland China mobile number");
        records.settle(granted(), new VerificationResult.Answered(local, 0), deadline());

        Outcome again = assertInstanceOf(Claim.Replayed.class, records.claim(request(MOBILE), deadline())).outcome();

        assertEquals(VerificationStatus.INVALID_MOBILE, again.status());
        assertFalse(again.checkedUpstream());
        assertEquals(local.hint(), again.hint());
    }

    @Test
    void theSameKeyWithAnotherPersonIsRefusedForGood() {
        records.settle(granted(), new VerificationResult.Answered(consistent(), 120), deadline());

        Failure f = refusal(records.claim(request(OTHER_MOBILE), deadline()));

        assertEquals(ErrorType.IDEMPOTENCY_KEY_REUSED, f.type());
        assertEquals(422, f.httpStatus());
        assertFalse(f.retryable());
        assertEquals(InvalidRequestException.class, f.toException("r").getClass());
    }

    @Test
    void aRepeatWhileTheFirstRunsIsInProgressUntilItsLockEnds() {
        granted();
        clock.advance(Duration.ofSeconds(4));

        Failure f = refusal(records.claim(request(MOBILE), deadline()));

        assertEquals(ErrorType.IN_PROGRESS, f.type());
        assertEquals(409, f.httpStatus());
        assertTrue(f.retryable());
        assertEquals(RequestInProgressException.class, f.toException("r").getClass());
        // Locked until Lambda's timeout (10 s) plus the clock allowance (1 s), 4 s of it gone.
        long retryAfter = f.retryAfterSeconds().getAsLong();
        assertTrue(retryAfter >= 6 && retryAfter <= 7, "retry after " + retryAfter + " s");
    }

    @Test
    void ofConcurrentFirstArrivalsOnSeveralContainersOneCallsAndTheOthersAreInProgress() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Claim>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                IdempotencyRecords container = new IdempotencyRecords(store, hashing, clock, TTL, false);
                claims.add(pool.submit(() -> container.claim(request(MOBILE), deadline())));
            }
            int granted = 0;
            int inProgress = 0;
            for (Future<Claim> claim : claims) {
                Claim c = claim.get();
                granted += c instanceof Claim.Granted ? 1 : 0;
                inProgress += c instanceof Claim.Refused r && r.failure().type() == ErrorType.IN_PROGRESS ? 1 : 0;
            }
            assertEquals(1, granted);
            assertEquals(7, inProgress);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailureThatCannotHaveBeenChargedReleasesTheKey() {
        records.settle(granted(), VerificationResult.Failed.beforeAnyCall(
                Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "503"), "139****5670"), deadline());

        assertInstanceOf(Claim.Granted.class, records.claim(request(MOBILE), deadline()));
        assertInstanceOf(Claim.Granted.class, records.claim(new KeyedRequest("another", NAME, OTHER_MOBILE),
                deadline()), "released means gone: any use of the key starts afresh");
    }

    @Test
    void aFailureThatMayHaveBeenChargedKeepsTheKeyAsOutcomeUnknown() {
        Failure timeout = Failure.of(ErrorType.UPSTREAM_TIMEOUT, "no answer in time").maybeCharged();
        records.settle(granted(), new VerificationResult.Failed(timeout, 1, "139****5670", null, 1_000), deadline());

        Failure f = refusal(records.claim(request(MOBILE), deadline()));

        assertEquals(ErrorType.UPSTREAM_TIMEOUT, f.type());
        assertTrue(f.outcomeUnknown());
        assertFalse(f.retryable());
        assertEquals(OutcomeUnknownException.class, f.toException("r").getClass());
        clock.advance(TTL.minusMinutes(1));
        assertTrue(refusal(records.claim(request(MOBILE), deadline())).outcomeUnknown(), "kept for the whole TTL");
    }

    @Test
    void aLockWhoseHolderDiedAtLambdasTimeoutIsOutcomeUnknown() {
        granted();
        clock.advance(Duration.ofSeconds(12));

        assertTrue(refusal(records.claim(request(MOBILE), deadline())).outcomeUnknown(),
                "the holder may have been charged before it died");
    }

    @Test
    void withTheOperatorsConsentAnOutcomeUnknownKeyIsTakenAgainOnce() {
        granted();
        clock.advance(Duration.ofSeconds(12));
        IdempotencyRecords consenting = records(true);

        Claim.Granted retaken = assertInstanceOf(Claim.Granted.class, consenting.claim(request(MOBILE), deadline()));
        assertEquals(2, retaken.version());
        assertEquals(ErrorType.IN_PROGRESS, refusal(consenting.claim(request(MOBILE), deadline())).type(),
                "the new holder's lock counts");
    }

    @Test
    void aRetakenKeyIsTheRetakersAndTheFirstHoldersLateSettleLeavesItAlone() {
        Claim.Granted first = granted();
        clock.advance(Duration.ofSeconds(12));
        IdempotencyRecords consenting = records(true);
        Claim.Granted retaken = assertInstanceOf(Claim.Granted.class, consenting.claim(request(MOBILE), deadline()));
        assertFalse(retaken.owner().equals(first.owner()), "the retaker writes its own owner");

        // The first holder was not dead after all, and its call turned out not charged: it releases the key.
        records.settle(first, VerificationResult.Failed.beforeAnyCall(Failure.of(ErrorType.UPSTREAM_UNAVAILABLE,
                "503"), "139****5670"), deadline());

        StoredRecord held = store.snapshot().get(0);
        assertEquals(retaken.owner(), held.owner(), "the retaker's claim is still there");
        consenting.settle(retaken, new VerificationResult.Answered(consistent(), 120), deadline());
        assertInstanceOf(Claim.Replayed.class, records.claim(request(MOBILE), deadline()));
    }

    @Test
    void everyClaimHasAnOwnerOfItsOwnOnItsRecord() {
        Claim.Granted one = granted();
        Claim.Granted two = assertInstanceOf(Claim.Granted.class,
                records.claim(new KeyedRequest("another", NAME, MOBILE), deadline()));

        assertTrue(one.owner().matches("[0-9a-f]{32}"), one.owner());
        assertFalse(one.owner().equals(two.owner()));
        assertEquals(Set.of(one.owner(), two.owner()),
                store.snapshot().stream().map(StoredRecord::owner).collect(Collectors.toSet()));
    }

    @Test
    void afterARestoreOwnerIdsAreDrawnFromANewGenerator() {
        SecureRandom before = records.owners().random();

        records.renewAfterRestore();

        assertNotSame(before, records.owners().random(), "a generator copied from the snapshot is replaced");
        assertInstanceOf(Claim.Granted.class, records.claim(request(MOBILE), deadline()));
    }

    // ------------------------------------------------------------------ a claim whose write may have been made

    @Test
    void aClaimThatFailedAfterItsWriteMayHaveBeenMadeIsReleasedAndTheRetryIsGranted() {
        lossy.puts = LostReplyStore.Puts.MADE_REPLY_LOST;

        Failure f = refusal(onLossy.claim(request(MOBILE), deadline()));

        assertEquals(ErrorType.RECORDS_UNAVAILABLE, f.type());
        assertTrue(f.retryable());
        assertEquals(1, lossy.calls("delete"), "one release");
        assertEquals(0, lossy.table.size(), "the claim that was written after all is gone");

        lossy.puts = LostReplyStore.Puts.ANSWERED;
        Claim.Granted retry = assertInstanceOf(Claim.Granted.class, onLossy.claim(request(MOBILE), deadline()),
                "the caller's retry: not IN_PROGRESS, not outcome-unknown");
        onLossy.settle(retry, new VerificationResult.Answered(consistent(), 120), deadline());
        assertInstanceOf(Claim.Replayed.class, onLossy.claim(request(MOBILE), deadline()));
        clock.advance(Duration.ofSeconds(12));
        assertInstanceOf(Claim.Replayed.class, onLossy.claim(request(MOBILE), deadline()),
                "no lock left to run out into outcome-unknown");
    }

    @Test
    void theReleaseNeverDeletesAnotherInvocationsClaimOfTheKey() {
        IdempotencyRecords other = over(lossy);
        Claim.Granted theirs = assertInstanceOf(Claim.Granted.class, other.claim(request(MOBILE), deadline()));
        // This invocation's write was not made (the other's claim was there first); its replies were lost.
        lossy.puts = LostReplyStore.Puts.NOT_MADE_REPLY_LOST;

        assertEquals(ErrorType.RECORDS_UNAVAILABLE, refusal(onLossy.claim(request(MOBILE), deadline())).type());

        assertEquals(1, lossy.calls("delete"), "the release was tried");
        StoredRecord left = lossy.table.snapshot().get(0);
        assertEquals(theirs.owner(), left.owner(), "the other invocation's claim, same key and version, stands");
        assertEquals(RecordState.IN_PROGRESS, left.state());
        lossy.puts = LostReplyStore.Puts.ANSWERED;
        assertEquals(ErrorType.IN_PROGRESS, refusal(onLossy.claim(request(MOBILE), deadline())).type(),
                "no second call while the first runs");
        other.settle(theirs, new VerificationResult.Answered(consistent(), 120), deadline());
        assertInstanceOf(Claim.Replayed.class, onLossy.claim(request(MOBILE), deadline()));
    }

    @Test
    void aReleaseThatFailsLeavesTheRefusalAsItIs() {
        lossy.puts = LostReplyStore.Puts.MADE_REPLY_LOST;
        lossy.deletesFail = true;

        Failure f = refusal(onLossy.claim(request(MOBILE), deadline()));

        assertEquals(ErrorType.RECORDS_UNAVAILABLE, f.type());
        assertTrue(f.retryable());
        assertFalse(f.outcomeUnknown(), "nothing was sent");
        assertEquals(1, lossy.calls("delete"), "one try, no more");
        assertEquals(1, lossy.table.size(), "the claim stays until its lock runs out");
    }

    @Test
    void aClaimRefusedBeforeAnyWriteReleasesNothing() {
        lossy.puts = LostReplyStore.Puts.REFUSED;

        assertEquals(ErrorType.RECORDS_UNAVAILABLE, refusal(onLossy.claim(request(MOBILE), deadline())).type());

        assertEquals(0, lossy.calls("delete"));
    }

    @Test
    void afterTheTtlTheKeyIsNew() {
        records.settle(granted(), new VerificationResult.Answered(consistent(), 120), deadline());
        clock.advance(TTL.plusSeconds(1));

        assertInstanceOf(Claim.Granted.class, records.claim(request(OTHER_MOBILE), deadline()));
    }

    @Test
    void twoContainersSharingAStoreAndAHashKeyAreOne() {
        IdempotencyRecords other = new IdempotencyRecords(store, hashing, clock, TTL, false);
        records.settle(granted(), new VerificationResult.Answered(consistent(), 120), deadline());

        assertInstanceOf(Claim.Replayed.class, other.claim(request(MOBILE), deadline()));
        IdempotencyRecords foreignKey = new IdempotencyRecords(store, HashKeys.perContainer(), clock, TTL, false);
        assertInstanceOf(Claim.Granted.class, foreignKey.claim(request(MOBILE), deadline()),
                "another hash key forgets every record");
    }

    @Test
    void aStoreThatCannotAnswerRefusesTheInvocationAndASettleFailureIsSwallowed() {
        IdempotencyRecords down = new IdempotencyRecords(new FailingRecordStore(), hashing, clock,
                TTL, false);

        Failure f = refusal(down.claim(request(MOBILE), deadline()));
        assertEquals(ErrorType.RECORDS_UNAVAILABLE, f.type());
        assertEquals(503, f.httpStatus());
        assertTrue(f.retryable());
        assertEquals(RecordsUnavailableException.class, f.toException("r").getClass());

        down.settle(new Claim.Granted("k", "f", 1, "o"), new VerificationResult.Answered(consistent(), 1), deadline());
    }

    @Test
    void recordsHoldNoNameNumberOrKey() {
        records.settle(granted(), new VerificationResult.Answered(consistent(), 120), deadline());

        assertEquals(1, store.size());
        for (StoredRecord r : store.snapshot()) {
            String all = r.toString();
            assertFalse(all.contains(NAME) || all.contains(MOBILE) || all.contains(KEY), all);
            assertTrue(r.key().matches("[0-9a-f]{64}") && r.fingerprint().matches("[0-9a-f]{64}"), all);
        }
    }

    @Test
    void anUnreadableStoredAnswerIsNotGuessed() {
        Claim.Granted g = granted();
        store.replace(new StoredRecord(g.key(), g.fingerprint(), RecordState.COMPLETED, null, "{\"status\":\"?\"}",
                clock.instant().plus(TTL), 2, g.owner()), deadline());

        assertTrue(refusal(records.claim(request(MOBILE), deadline())).outcomeUnknown());
    }
}
