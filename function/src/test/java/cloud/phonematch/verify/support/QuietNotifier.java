package cloud.phonematch.verify.support;

import com.github.tomakehurst.wiremock.common.Notifier;

/** Keeps the fakes silent; tests read WireMock's journal instead of its console. */
public class QuietNotifier implements Notifier {
    @Override
    public void info(String message) {
    }

    @Override
    public void error(String message) {
    }

    @Override
    public void error(String message, Throwable t) {
    }
}
