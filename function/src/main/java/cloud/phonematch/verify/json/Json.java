package cloud.phonematch.verify.json;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one JSON mapper of the function, and the strict reading of what comes from outside. Everything is read and
 * built as trees (events, request bodies, peers' replies, records, outputs), not bound from classes, so native images
 * need no reflection registration for them.
 */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * Reads what callers send (events and request bodies) and what peers answer. A key given twice is a parse error
     * instead of "the last one wins", which would verify {@code B} for {@code {"mobile": A, "mobile": B}} while the
     * caller's own records say {@code A}; and so is anything but whitespace after the value, which would otherwise
     * verify the first of {@code {...}{...}} and drop the rest without a word.
     */
    public static final ObjectReader STRICT_READER = MAPPER.reader()
            .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One JSON value and nothing after it, a key given twice allowed. */
    private static final ObjectReader ONE_VALUE_READER = MAPPER.reader()
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /**
     * U+FFFD REPLACEMENT CHARACTER: what a lenient decoder (API Gateway's, for a JSON or text body) puts in place of
     * bytes that are not UTF-8. In a request it means the caller sent another encoding, not a character it meant.
     */
    public static final char REPLACEMENT_CHARACTER = '\uFFFD';

    /** Why {@link #STRICT_READER} refused a text. */
    public enum Refusal {
        /** Some key is given twice (and that is its only fault). */
        DUPLICATE_KEY,
        /** One JSON value with something other than whitespace after it. */
        TRAILING_DATA,
        /** Not JSON at all. */
        NOT_JSON
    }

    private Json() {
    }

    /**
     * The text of bytes that are UTF-8, the one encoding of JSON exchanged between systems (RFC 8259, 8.1); empty when
     * they are not (a malformed or cut-off sequence, an encoded surrogate, an overlong form). Nothing is replaced, and
     * no other encoding is guessed: a reader given the bytes themselves would take UTF-16 or UTF-32 as well.
     */
    public static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /**
     * JSON that {@link #STRICT_READER} refused, read again with duplicate keys allowed: present when a repeated
     * key was its only fault, empty otherwise. This tells the faults apart without reading the parser's message
     * (which quotes the input); it parses a second time, so it belongs on the error path only.
     */
    public static Optional<JsonNode> readAllowingDuplicateKeys(byte[] json) {
        try {
            return Optional.ofNullable(ONE_VALUE_READER.readTree(json));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** {@link #readAllowingDuplicateKeys(byte[])} for a text already decoded. */
    public static Optional<JsonNode> readAllowingDuplicateKeys(String json) {
        try {
            return Optional.ofNullable(ONE_VALUE_READER.readTree(json));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Why {@link #STRICT_READER} refused {@code json}; parses again, so it belongs on the error path only. */
    public static Refusal whyRefused(byte[] json) {
        return whyRefused(readAllowingDuplicateKeys(json).isPresent(), () -> MAPPER.readTree(json));
    }

    /** {@link #whyRefused(byte[])} for a text already decoded. */
    public static Refusal whyRefused(String json) {
        return whyRefused(readAllowingDuplicateKeys(json).isPresent(), () -> MAPPER.readTree(json));
    }

    private interface Read {
        JsonNode read() throws IOException;
    }

    private static Refusal whyRefused(boolean onlyADuplicateKey, Read lenient) {
        if (onlyADuplicateKey) {
            return Refusal.DUPLICATE_KEY;
        }
        try {
            lenient.read();
            return Refusal.TRAILING_DATA;
        } catch (IOException e) {
            return Refusal.NOT_JSON;
        }
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * A reply body as a JSON object; empty when it is absent, not JSON, JSON but not an object, or gives a key twice
     * (which of two result codes would be the answer is not ours to guess).
     */
    public static Optional<JsonNode> parseObject(String body) {
        if (body == null || body.isBlank()) {
            return Optional.empty();
        }
        try {
            JsonNode node = STRICT_READER.readTree(body);
            return node != null && node.isObject() ? Optional.of(node) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** The UTF-8 JSON bytes of a tree, e.g. a request body. */
    public static byte[] bytes(ObjectNode node) {
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not serialize a JSON tree", e);
        }
    }

    public static String write(ObjectNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            // A tree of strings and numbers always serializes; this is unreachable in practice.
            throw new IllegalStateException("could not serialize an output tree", e);
        }
    }
}
