package cloud.phonematch.verify.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log message the function's loggers let through while it is open, from any logger, as logger name, level,
 * formatted message and MDC: a handler on the root logger, removed on {@link #close()}.
 */
public final class RecordedLogs implements AutoCloseable {
    /**
     * One message: the logger's name, its level, the message with its parameters filled in, and the MDC it was logged
     * with (where the summary line's fields are).
     */
    public record Message(String logger, Level level, String message, Map<String, String> mdc) {
    }

    private final List<Message> messages = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String message = r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage();
            Map<String, String> mdc = r instanceof ExtLogRecord ext ? Collections.unmodifiableMap(ext.getMdcCopy())
                    : Map.of();
            synchronized (messages) {
                messages.add(new Message(r.getLoggerName(), r.getLevel(), message, mdc));
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private RecordedLogs() {
        recorder.setLevel(Level.ALL);
        Logger.getLogger("").addHandler(recorder);
    }

    public static RecordedLogs start() {
        return new RecordedLogs();
    }

    /** The messages so far, in order. */
    public List<Message> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(recorder);
    }
}
