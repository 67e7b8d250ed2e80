package cloud.phonematch.verify.priming;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import cloud.phonematch.verify.verification.UniquePerContainer;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;

/**
 * The function's SnapStart runtime hooks, through {@code org.crac} (Lambda's java21 runtime answers them for
 * SnapStart): before the snapshot, the request path is primed ({@link RequestPathPriming}, unless it already ran at
 * startup), so that every container restored from the snapshot starts with it loaded and compiled; after a restore,
 * every bean already created that holds state which must differ between containers ({@link UniquePerContainer}: random
 * generators, a hash key of the container's own, the API's circuit) draws it anew. Beans created after the restore
 * draw theirs then.
 * <p>
 * Quarkus's own SnapStart support ({@code quarkus.snapstart.*}) preloads and initializes the application's classes and
 * starts the application during init, before the snapshot; it registers no priming of its own, so nothing is primed
 * twice: the local paths are primed at startup ({@code InitPriming}), the request path once per process.
 */
@Singleton
public class SnapStartHooks implements Resource {
    /** The initialization type Lambda gives the init that precedes a SnapStart snapshot. */
    static final String SNAP_START = "snap-start";

    private final RequestPathPriming requestPath;
    private final Optional<String> initializationType;

    /**
     * @param initializationType {@code AWS_LAMBDA_INITIALIZATION_TYPE}, which Lambda sets ({@code on-demand},
     *        {@code provisioned-concurrency} or {@code snap-start}); empty outside Lambda
     */
    public SnapStartHooks(RequestPathPriming requestPath,
            @ConfigProperty(name = "aws.lambda.initialization-type") Optional<String> initializationType) {
        this.requestPath = requestPath;
        this.initializationType = initializationType;
    }

    /**
     * Registers with the runtime's global context. The context holds its resources weakly; this bean, a singleton,
     * is what keeps the hooks alive.
     */
    public void register() {
        Core.getGlobalContext().register(this);
    }

    /**
     * Whether a SnapStart snapshot follows this init ({@code AWS_LAMBDA_INITIALIZATION_TYPE=snap-start}): then the
     * request path is primed just before it, by {@link #beforeCheckpoint}, rather than at startup.
     */
    public boolean snapshotFollows() {
        return initializationType.filter(SNAP_START::equals).isPresent();
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        requestPath.primeOnce();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        renewExisting();
    }

    /** Renews every {@link UniquePerContainer} among the beans created so far; those it renewed. */
    static List<UniquePerContainer> renewExisting() {
        List<UniquePerContainer> renewed = new ArrayList<>();
        for (Class<? extends Annotation> scope : List.<Class<? extends Annotation>>of(ApplicationScoped.class,
                Singleton.class)) {
            InjectableContext context = Arc.container().getActiveContext(scope);
            if (context == null) {
                continue;
            }
            for (Object bean : context.getState().getContextualInstances().values()) {
                if (bean instanceof UniquePerContainer unique) {
                    unique.renewAfterRestore();
                    renewed.add(unique);
                }
            }
        }
        return renewed;
    }
}
