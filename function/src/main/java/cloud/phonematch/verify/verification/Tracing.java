package cloud.phonematch.verify.verification;

/**
 * Spans around the calls that leave the function (X-Ray subsegments in Lambda). Annotations carry only
 * statuses and counts — never a name, a number or a token.
 */
public interface Tracing {

    Span begin(String name);

    interface Span {
        Span annotate(String key, String value);

        Span annotate(String key, long value);

        /**
         * @param error a 4xx-like refusal
         * @param fault a 5xx-like failure or timeout
         */
        void end(boolean error, boolean fault);
    }

    Span NO_SPAN = new Span() {
        @Override
        public Span annotate(String key, String value) {
            return this;
        }

        @Override
        public Span annotate(String key, long value) {
            return this;
        }

        @Override
        public void end(boolean error, boolean fault) {
        }
    };

    Tracing NONE = name -> NO_SPAN;
}
