package cloud.phonematch.verify.support;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Records what the function prints on stdout while the application of one test class runs, and still passes it
 * on (so Surefire's capture, which the privacy gate and the log checks read, is unchanged). The function takes
 * {@code System.out} when its beans are created, so the recorder has to be in place before the application starts:
 * that is why it is a test resource, restricted to the class that names it.
 */
public class StdoutRecorder implements QuarkusTestResourceLifecycleManager {
    private static final ByteArrayOutputStream RECORDED = new ByteArrayOutputStream();
    private static PrintStream original;

    @Override
    public Map<String, String> start() {
        original = System.out;
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                original.write(b);
                synchronized (RECORDED) {
                    RECORDED.write(b);
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                original.write(b, off, len);
                synchronized (RECORDED) {
                    RECORDED.write(b, off, len);
                }
            }

            @Override
            public void flush() {
                original.flush();
            }
        };
        System.setOut(new PrintStream(tee, true, StandardCharsets.UTF_8));
        return Map.of();
    }

    @Override
    public void stop() {
        if (original != null) {
            System.out.flush();
            System.setOut(original);
        }
    }

    /** The lines printed so far, in order. */
    public static List<String> lines() {
        synchronized (RECORDED) {
            return RECORDED.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }
}
