package cloud.phonematch.verify.priming;

import java.util.Optional;

/**
 * The kind of init this process runs in, from {@code AWS_LAMBDA_INITIALIZATION_TYPE}: whether a snapshot follows it,
 * which decides when the request path is primed (at startup, or just before the snapshot) and whether what must differ
 * between containers is drawn again after a restore.
 */
public enum LambdaInit {
    /** {@code on-demand}, and any process outside Lambda: the first caller of the container waits for the init. */
    ON_DEMAND,
    /** {@code provisioned-concurrency}: the environment is initialized before any caller is sent to it. */
    PROVISIONED_CONCURRENCY,
    /** {@code snap-start}: a snapshot is taken after the init, and restored containers start from it. */
    SNAP_START;

    public static LambdaInit of(Optional<String> initializationType) {
        return switch (initializationType.orElse("")) {
            case "provisioned-concurrency" -> PROVISIONED_CONCURRENCY;
            case "snap-start" -> SNAP_START;
            default -> ON_DEMAND;
        };
    }
}
