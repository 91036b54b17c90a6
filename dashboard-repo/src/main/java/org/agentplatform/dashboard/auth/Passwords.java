package org.agentplatform.dashboard.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;

/**
 * bcrypt hashing and checking ({@code $2a$}, {@code $2b$}, {@code $2y$}, as made by
 * {@code htpasswd -B} or this class's {@link #main}). Run
 * {@code java -cp dashboard-0.1.0.jar org.agentplatform.dashboard.auth.Passwords 'my password'}
 * to print a hash for {@code DASHBOARD_USERS}.
 */
public final class Passwords {
    static final int COST = 12;
    /** Checked when the user is unknown, so a wrong user name takes as long as a wrong password. */
    private static final String DUMMY = hash("not a real password");

    private Passwords() {
    }

    public static String hash(String password) {
        return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
    }

    public static boolean matches(String password, String bcryptHash) {
        byte[] bytes = password.getBytes(StandardCharsets.UTF_8);
        if (bcryptHash == null || bytes.length > BCrypt.Version.DEFAULT_MAX_PW_LENGTH_BYTE) {
            // bcrypt reads at most 71 bytes (plus its terminator) and refuses more; no hash made here is of a longer
            // password (hash() refuses it too), so it is simply wrong: checked against the dummy for the same timing
            BCrypt.verifyer().verify("not the password".getBytes(StandardCharsets.UTF_8), DUMMY.getBytes(StandardCharsets.UTF_8));
            return false;
        }
        return BCrypt.verifyer().verify(bytes, bcryptHash.getBytes(StandardCharsets.UTF_8)).verified;
    }

    public static boolean looksLikeBcrypt(String hash) {
        return hash != null && hash.matches("^\\$2[aby]\\$\\d{2}\\$[./A-Za-z0-9]{53}$");
    }

    public static void main(String[] args) {
        if (args.length != 1 || args[0].isEmpty()) {
            System.err.println("usage: java -cp dashboard-0.1.0.jar org.agentplatform.dashboard.auth.Passwords '<password>'");
            System.exit(2);
        }
        System.out.println("{bcrypt}" + hash(args[0]));
    }
}
