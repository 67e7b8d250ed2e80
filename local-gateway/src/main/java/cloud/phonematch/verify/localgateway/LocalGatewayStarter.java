package cloud.phonematch.verify.localgateway;

import java.util.function.Consumer;
import java.util.function.IntSupplier;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.literal.NamedLiteral;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import io.quarkus.amazon.lambda.runtime.LambdaHotReplacementRecorder;
import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.shareddata.LocalMap;

/**
 * Starts the local HTTP API with dev mode ({@code ./mvnw quarkus:dev}). Its socket ({@link LiveReloadListener})
 * is created once per dev session and kept in Vert.x's shared data, which outlives live reloads; each start of the
 * application hands it that application's handler, and each stop takes the handler back.
 * <p>
 * A dev build's bean only: {@code @IfBuildProfile("dev")} removes it from the production and test builds, so a Lambda
 * init never starts it (tests start the listener themselves). A port taken when dev mode starts stops it
 * ({@link DevPortsCheck}); one taken when a live reload moves the API to it leaves dev mode going on without it, saying
 * how to choose another. The function is the bean {@code quarkus.lambda.handler} names, the one Lambda invokes.
 */
@IfBuildProfile("dev")
@Singleton
public class LocalGatewayStarter {
    private static final Logger LOG = Logger.getLogger(LocalGatewayStarter.class);
    /** Vert.x local shared data: listening address to the listener on it, kept across live reloads. */
    private static final String LISTENERS = LocalGatewayStarter.class.getName();

    private Consumer<Handler<HttpServerRequest>> listener;
    private GatewayHttpHandler handler;

    @SuppressWarnings("unchecked")
    void start(@Observes StartupEvent event, Vertx vertx, @Any Instance<RequestStreamHandler> handlers, Config config) {
        LocalGatewaySettings settings = LocalGatewaySettings.from(name -> config.getOptionalValue(name, String.class));
        LocalMap<String, Object> listeners = vertx.sharedData().getLocalMap(LISTENERS);
        String address = settings.host() + ":" + settings.port();
        Object kept = listeners.get(address);
        if (kept == null || !settings.enabled()) {
            closeAll(listeners); // the settings changed since the last reload
        }
        if (!settings.enabled()) {
            LOG.info("Local HTTP API off (local-gateway.enabled=false)");
            return;
        }
        if (kept == null) {
            try {
                kept = LiveReloadListener.listen(vertx, settings.host(), settings.port(),
                        LambdaHotReplacementRecorder::checkHotReplacement);
            } catch (IllegalStateException e) {
                LOG.warnf("%s. Dev mode goes on without it: choose another port with"
                        + " -Dlocal-gateway.port=..., or turn it off with -Dlocal-gateway.enabled=false",
                        e.getMessage());
                return;
            }
            listeners.put(address, kept);
        }
        // A listener from before a reload has a class of the earlier application: reached through shared types.
        listener = (Consumer<Handler<HttpServerRequest>>) kept;
        RequestStreamHandler function = config.getOptionalValue("quarkus.lambda.handler", String.class)
                .map(name -> handlers.select(NamedLiteral.of(name))).orElse(handlers).get();
        handler = GatewayHttpHandler.create(vertx, function, settings);
        listener.accept(handler);
        String url = "http://" + settings.host() + ":" + ((IntSupplier) kept).getAsInt() + HttpApiEvents.ROUTE_PATH;
        LOG.infof("""
                Local HTTP API (as deployed: payload format 2.0, throttled at %s requests/s with bursts of %d, \
                no authorization) on %s:
                    curl -i -X POST %s -H 'content-type: application/json' -d @events/direct.json""",
                settings.rateLimit(), settings.burstLimit(), url, url);
    }

    void stop(@Observes ShutdownEvent event) {
        if (listener != null) {
            listener.accept(null);
            handler.close();
            listener = null;
        }
    }

    private static void closeAll(LocalMap<String, Object> listeners) {
        for (Object listener : listeners.values()) {
            try {
                ((AutoCloseable) listener).close();
            } catch (Exception e) {
                LOG.debugf("closing a local HTTP API listener failed: %s", e.getClass().getName());
            }
        }
        listeners.clear();
    }
}
