package org.agentplatform.dashboard.events;

import java.util.regex.Pattern;

/** Redis stream entry ids ({@code <ms>-<seq>}): the event ids browsers resume from. */
public final class StreamIds {
    public static final Pattern PATTERN = Pattern.compile("^[0-9]{1,20}-[0-9]{1,20}$");

    private StreamIds() {
    }

    public static boolean valid(String id) {
        return id != null && id.length() <= 40 && PATTERN.matcher(id).matches();
    }

    /** Orders ids as Redis does: by time part, then sequence (numerically, not as text). */
    public static int compare(String a, String b) {
        int da = a.indexOf('-');
        int db = b.indexOf('-');
        int c = Long.compareUnsigned(Long.parseUnsignedLong(a.substring(0, da)), Long.parseUnsignedLong(b.substring(0, db)));
        return c != 0 ? c : Long.compareUnsigned(Long.parseUnsignedLong(a.substring(da + 1)), Long.parseUnsignedLong(b.substring(db + 1)));
    }
}
