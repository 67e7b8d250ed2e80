package cloud.phonematch.verify.output;

import java.util.Locale;

/** The language of descriptions and carrier names. English unless the caller asks for Chinese. */
public enum Language {
    EN(Locale.ENGLISH), ZH(Locale.SIMPLIFIED_CHINESE);

    private final Locale locale;

    Language(Locale locale) {
        this.locale = locale;
    }

    public Locale locale() {
        return locale;
    }

    /** {@code zh}, {@code zh-CN}, {@code zh_Hans}, … are Chinese; anything else, or nothing, is English. */
    public static Language fromTag(String tag) {
        if (tag == null) {
            return EN;
        }
        String t = tag.trim().toLowerCase(Locale.ROOT);
        return t.startsWith("zh") ? ZH : EN;
    }

    /**
     * The first language of an {@code Accept-Language} header, by weight ({@code en;q=0.4, zh;q=0.9} is
     * Chinese). Unparseable parts are skipped; nothing usable means English.
     */
    public static Language fromAcceptLanguage(String header) {
        if (header == null || header.isBlank()) {
            return EN;
        }
        String best = null;
        double bestWeight = -1;
        for (String part : header.split(",")) {
            String[] pieces = part.trim().split(";");
            String tag = pieces[0].trim();
            double weight = 1.0;
            for (int i = 1; i < pieces.length; i++) {
                String p = pieces[i].trim();
                if (p.startsWith("q=")) {
                    try {
                        weight = Double.parseDouble(p.substring(2));
                    } catch (NumberFormatException e) {
                        weight = 0;
                    }
                }
            }
            if (!tag.isEmpty() && weight > bestWeight) {
                best = tag;
                bestWeight = weight;
            }
        }
        return fromTag(best);
    }
}
