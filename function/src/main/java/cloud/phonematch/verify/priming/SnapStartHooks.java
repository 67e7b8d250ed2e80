package cloud.phonematch.verify.priming;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import cloud.phonematch.verify.verification.RenewableAfterRestore;
import io.quarkus.arc.Arc;
import io.quarkus.arc.InjectableContext;
import io.quarkus.runtime.StartupEvent;

/**
 * The function's SnapStart runtime hooks, through {@code org.crac} (Lambda's java21 runtime answers them for
 * SnapStart), registered at startup in an init that a snapshot follows: before the snapshot, the request path is
 * rehearsed end to end ({@link Priming#beforeSnapshot()}, once per process), so that every container restored from the
 * snapshot starts with it loaded and run once; after a restore, every bean already created that holds state which must
 * differ between containers ({@link RenewableAfterRestore}: random generators, a hash key of the container's own, the
 * API's circuit) draws it anew. Beans created after the restore draw theirs then.
 * <p>
 * Quarkus's own SnapStart support ({@code quarkus.snapstart.*}) preloads and initializes the application's classes and
 * starts the application during init, before the snapshot; it registers no priming of its own, so nothing is primed
 * twice: the local paths are primed at startup, the request path once per process.
 */
@Singleton
public class SnapStartHooks implements Resource {
    private final Priming priming;

    public SnapStartHooks(Priming priming) {
        this.priming = priming;
    }

    /**
     * Registers with the runtime's global context when a snapshot follows this init. The context holds its resources
     * weakly; this bean, a singleton, is what keeps the hooks alive.
     */
    void registerAtStartup(@Observes StartupEvent event) {
        if (priming.init() == LambdaInit.SNAP_START) {
            Core.getGlobalContext().register(this);
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        priming.beforeSnapshot();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        renewExisting();
    }

    /** Renews every {@link RenewableAfterRestore} among the beans created so far; those it renewed. */
    static List<RenewableAfterRestore> renewExisting() {
        List<RenewableAfterRestore> renewed = new ArrayList<>();
        for (Class<? extends Annotation> scope : List.<Class<? extends Annotation>>of(ApplicationScoped.class,
                Singleton.class)) {
            InjectableContext context = Arc.container().getActiveContext(scope);
            if (context == null) {
                continue;
            }
            for (Object bean : context.getState().getContextualInstances().values()) {
                if (bean instanceof RenewableAfterRestore unique) {
                    unique.renewAfterRestore();
                    renewed.add(unique);
                }
            }
        }
        return renewed;
    }
}
