package cloud.phonematch.verify.localgateway;

import java.util.Optional;

/**
 * Which request bodies an HTTP API passes to the function as text. Any other body — including one without a
 * Content-Type, and form posts — arrives base64-encoded with {@code isBase64Encoded: true}. HTTP APIs have no
 * binary-media-types setting to change this; the list is the text and JSON family as API Gateway treats it, to the
 * best of what its documentation and observed events show.
 */
final class MediaTypes {
    private MediaTypes() {
    }

    /** @param mediaType lower case, without parameters */
    static boolean isText(Optional<String> mediaType) {
        return mediaType.filter(MediaTypes::isText).isPresent();
    }

    private static boolean isText(String type) {
        return type.startsWith("text/") || type.equals("application/json") || type.endsWith("+json")
                || type.equals("application/javascript") || type.equals("application/xml") || type.endsWith("+xml");
    }
}
