package cloud.phonematch.verify.records;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.time.Clock;
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
import cloud.phonematch.verify.precheck.PreCheckResult;
import cloud.phonematch.verify.support.MutableClock;
import cloud.phonematch.verify.verification.Deadline;
import cloud.phonematch.verify.verification.VerificationRecords.Claim;
import cloud.phonematch.verify.verification.VerificationRecords.KeyedRequest;
import cloud.phonematch.verify.verification.Verdict;
import cloud.phonematch.verify.verification.VerificationResult;

/**
 * Every idempotency rule, on the in-memory store with a clock that only moves when told to. Two
 * {@link StoredVerificationRecords} over one store and one hash key stand for two containers sharing a table.
 */
class StoredVerificationRecordsTest {
    private static final Duration TTL = RecordsTesting.TIMING.ttl();
    /** Lambda's timeout of the claiming invocation (10 s) plus the clock-skew margin (10 s), and a second more. */
    private static final Duration PAST_THE_LOCK = Duration.ofSeconds(21);
    private static final String NAME = "张三丰";
    private static final String MOBILE = "13912345670";
    private static final String OTHER_MOBILE = "13912345671";
    private static final String KEY = "order-7781:verify";

    private final MutableClock clock = new MutableClock();
    private final InMemoryRecordStore store = new InMemoryRecordStore();
    private final HashKeys hashing = HashKeys.perContainer();
    private final StoredVerificationRecords records = records(false);
    /** A store that loses replies, and a container on it. */
    private final LostReplyStore lossy = new LostReplyStore();
    private final StoredVerificationRecords onLossy = over(lossy);

    private StoredVerificationRecords records(boolean retryMaybeCharged) {
        return RecordsTesting.records(store, hashing, clock, retryMaybeCharged);
    }

    /** Another container on {@code store}, with the same hash key and clock. */
    private StoredVerificationRecords over(RecordStore other) {
        return RecordsTesting.records(other, hashing, clock, false);
    }

    private static Deadline deadline() {
        return RecordsTesting.tenSeconds();
    }

    private static KeyedRequest request(String mobile) {
        return RecordsTesting.keyed(KEY, NAME, mobile);
    }

    private static VerificationResult.Answered consistent() {
        return RecordsTesting.consistent();
    }

    private Claim.Granted granted() {
        return assertInstanceOf(Claim.Granted.class, records.claim(request(MOBILE), deadline()));
    }

    private static Failure refusal(Claim claim) {
        return assertInstanceOf(Claim.Refused.class, claim).failure();
    }

    @Test
    void anAnswerIsReplayedToARepeatAsTheVerdictItFound() {
        records.settle(granted(), consistent(), deadline());

        Claim.Replayed replayed = assertInstanceOf(Claim.Replayed.class, records.claim(request(MOBILE), deadline()));

        assertEquals(RecordsTesting.consistentVerdict(), replayed.verdict());
    }

    @Test
    void aLocalPreCheckAnswerIsReplayedWithItsReasonNotItsWords() {
        Verdict local = new Verdict(VerificationStatus.INVALID_NAME, ResultCode.INVALID_NAME, "139****5670",
                Outcome.AnsweredBy.PRECHECK, null, PreCheckResult.Reason.SPACE_NEXT_TO_HAN);
        records.settle(granted(), new VerificationResult.Answered(local, new Outcome(VerificationStatus.INVALID_NAME,
                ResultCode.INVALID_NAME, "姓名校验不通过", "139****5670", null, Outcome.AnsweredBy.PRECHECK, 0, "r", "c",
                null, 1, "中文姓名请不要加空格"), 0), deadline());

        Verdict again = assertInstanceOf(Claim.Replayed.class, records.claim(request(MOBILE), deadline())).verdict();

        assertEquals(local, again);
        assertFalse(store.snapshot().get(0).outcome().contains("姓名"), "no words are kept, in any language");
    }

    @Test
    void theSameKeyWithAnotherPersonIsRefusedForGood() {
        records.settle(granted(), consistent(), deadline());

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
        // Locked until Lambda's timeout (10 s) plus the clock-skew margin (10 s), 4 s of it gone.
        long retryAfter = f.retryAfterSeconds().getAsLong();
        assertTrue(retryAfter >= 15 && retryAfter <= 16, "retry after " + retryAfter + " s");
    }

    @Test
    void ofConcurrentFirstArrivalsOnSeveralContainersOneCallsAndTheOthersAreInProgress() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Claim>> claims = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                StoredVerificationRecords container = records(false);
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
        records.settle(granted(), VerificationResult.Failed.withoutACall(
                Failure.of(ErrorType.UPSTREAM_UNAVAILABLE, "503"), "139****5670"), deadline());

        assertInstanceOf(Claim.Granted.class, records.claim(request(MOBILE), deadline()));
        assertInstanceOf(Claim.Granted.class, records.claim(RecordsTesting.keyed("another", NAME, OTHER_MOBILE),
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
        clock.advance(PAST_THE_LOCK);

        assertTrue(refusal(records.claim(request(MOBILE), deadline())).outcomeUnknown(),
                "the holder may have been charged before it died");
    }

    @Test
    void withTheOperatorsConsentAnOutcomeUnknownKeyIsTakenAgainOnce() {
        granted();
        clock.advance(PAST_THE_LOCK);
        StoredVerificationRecords consenting = records(true);

        Claim.Granted retaken = assertInstanceOf(Claim.Granted.class, consenting.claim(request(MOBILE), deadline()));
        assertEquals(2, retaken.version());
        assertEquals(ErrorType.IN_PROGRESS, refusal(consenting.claim(request(MOBILE), deadline())).type(),
                "the new holder's lock counts");
    }

    @Test
    void aRetakenKeyIsTheRetakersAndTheFirstHoldersLateSettleLeavesItAlone() {
        Claim.Granted first = granted();
        clock.advance(PAST_THE_LOCK);
        StoredVerificationRecords consenting = records(true);
        Claim.Granted retaken = assertInstanceOf(Claim.Granted.class, consenting.claim(request(MOBILE), deadline()));
        assertFalse(retaken.owner().equals(first.owner()), "the retaker writes its own owner");

        // The first holder was not dead after all, and its call turned out not charged: it releases the key.
        records.settle(first, VerificationResult.Failed.withoutACall(Failure.of(ErrorType.UPSTREAM_UNAVAILABLE,
                "503"), "139****5670"), deadline());

        StoredRecord held = store.snapshot().get(0);
        assertEquals(retaken.owner(), held.owner(), "the retaker's claim is still there");
        consenting.settle(retaken, consistent(), deadline());
        assertInstanceOf(Claim.Replayed.class, records.claim(request(MOBILE), deadline()));
    }

    @Test
    void aContainerWhoseClockRunsAheadByLessThanTheMarginStillSeesTheLockHeld() {
        granted();
        clock.advance(Duration.ofSeconds(5)); // the holder is still running, 5 s before its Lambda timeout
        // Another container whose clock runs 9 s ahead, and whose operator accepted repeating possibly charged calls:
        // if it took the lock for expired, it would call again.
        StoredVerificationRecords ahead = RecordsTesting.records(store, hashing, Clock.offset(clock, Duration.ofSeconds(9)),
                true);

        assertEquals(ErrorType.IN_PROGRESS, refusal(ahead.claim(request(MOBILE), deadline())).type());
    }

    @Test
    void theSameKeyWithAnotherFreshIsAnotherRequest() {
        records.settle(granted(), consistent(), deadline());

        KeyedRequest fresh = new KeyedRequest(KEY, null, NAME, MOBILE, true);
        assertEquals(ErrorType.IDEMPOTENCY_KEY_REUSED, refusal(records.claim(fresh, deadline())).type(),
                "a new paid check asked for under a key that already has an answer");
    }

    @Test
    void aKeyIsScopedToTheCallerTheEventNames() {
        KeyedRequest alice = new KeyedRequest(KEY, "iam:arn:aws:iam::111122223333:user/alice", NAME, MOBILE, false);
        KeyedRequest bob = new KeyedRequest(KEY, "iam:arn:aws:iam::111122223333:user/bob", NAME, OTHER_MOBILE, false);
        records.settle(assertInstanceOf(Claim.Granted.class, records.claim(alice, deadline())), consistent(),
                deadline());

        assertInstanceOf(Claim.Granted.class, records.claim(bob, deadline()),
                "another caller's use of the same key neither replays nor is refused as reused");
        assertInstanceOf(Claim.Replayed.class, records.claim(alice, deadline()));
        assertInstanceOf(Claim.Granted.class, records.claim(request(OTHER_MOBILE), deadline()),
                "a caller the event does not name has a scope of its own");
    }

    @Test
    void everyClaimHasAnOwnerOfItsOwnOnItsRecord() {
        Claim.Granted one = granted();
        Claim.Granted two = assertInstanceOf(Claim.Granted.class,
                records.claim(RecordsTesting.keyed("another", NAME, MOBILE), deadline()));

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
        onLossy.settle(retry, consistent(), deadline());
        assertInstanceOf(Claim.Replayed.class, onLossy.claim(request(MOBILE), deadline()));
        clock.advance(PAST_THE_LOCK);
        assertInstanceOf(Claim.Replayed.class, onLossy.claim(request(MOBILE), deadline()),
                "no lock left to run out into outcome-unknown");
    }

    @Test
    void theReleaseNeverDeletesAnotherInvocationsClaimOfTheKey() {
        StoredVerificationRecords other = over(lossy);
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
        other.settle(theirs, consistent(), deadline());
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
        records.settle(granted(), consistent(), deadline());
        clock.advance(TTL.plusSeconds(1));

        assertInstanceOf(Claim.Granted.class, records.claim(request(OTHER_MOBILE), deadline()));
    }

    @Test
    void twoContainersSharingAStoreAndAHashKeyAreOne() {
        StoredVerificationRecords other = records(false);
        records.settle(granted(), consistent(), deadline());

        assertInstanceOf(Claim.Replayed.class, other.claim(request(MOBILE), deadline()));
        StoredVerificationRecords foreignKey = RecordsTesting.records(store, HashKeys.perContainer(), clock, false);
        assertInstanceOf(Claim.Granted.class, foreignKey.claim(request(MOBILE), deadline()),
                "another hash key forgets every record");
    }

    @Test
    void aStoreThatCannotAnswerRefusesTheInvocationAndASettleFailureIsSwallowed() {
        StoredVerificationRecords down = RecordsTesting.records(new FailingRecordStore(), hashing, clock, false);

        Failure f = refusal(down.claim(request(MOBILE), deadline()));
        assertEquals(ErrorType.RECORDS_UNAVAILABLE, f.type());
        assertEquals(503, f.httpStatus());
        assertTrue(f.retryable());
        assertEquals(RecordsUnavailableException.class, f.toException("r").getClass());

        down.settle(new Claim.Granted("k", "f", 1, "o"), consistent(), deadline());
    }

    @Test
    void recordsHoldNoNameNumberOrKey() {
        records.settle(granted(), consistent(), deadline());

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
                clock.instant().plus(TTL), 2, g.owner()), g.owner(), deadline());

        assertTrue(refusal(records.claim(request(MOBILE), deadline())).outcomeUnknown());
    }
}
