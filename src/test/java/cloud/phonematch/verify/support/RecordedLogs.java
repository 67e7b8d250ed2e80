package cloud.phonematch.verify.support;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.jboss.logmanager.ExtLogRecord;

/**
 * Every log message the function's loggers let through while it is open, from any logger, as logger name and formatted
 * message: a handler on the root logger, removed on {@link #close()}.
 */
public final class RecordedLogs implements AutoCloseable {
    /** One message: the logger's name and the message with its parameters filled in. */
    public record Message(String logger, String message) {
    }

    private final List<Message> messages = new ArrayList<>();
    private final Handler recorder = new Handler() {
        @Override
        public void publish(LogRecord r) {
            String message = r instanceof ExtLogRecord ext ? ext.getFormattedMessage() : r.getMessage();
            synchronized (messages) {
                messages.add(new Message(r.getLoggerName(), message));
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
