package org.agentplatform.dashboard.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class UsersTest {
    // a truncated bcrypt hash (22 of 53 characters after the cost): must be refused
    private static final String ALICE = "$2y$05$" + "abcdefghijklmnopqrstuu";

    @Test
    void parsesBcryptUsersWithOrWithoutThePrefixAndChecksPasswords() {
        String alice = Passwords.hash("wonderland");
        String bob = at.favre.lib.crypto.bcrypt.BCrypt.with(at.favre.lib.crypto.bcrypt.BCrypt.Version.VERSION_2Y)
                .hashToString(4, "builder".toCharArray());
        Users users = new Users("alice:{bcrypt}" + alice + ", bob:" + bob, null);

        assertThat(users.authenticate("alice", "wonderland")).contains("alice");
        assertThat(users.authenticate("bob", "builder")).contains("bob");
        assertThat(users.authenticate("alice", "builder")).isEmpty();
        assertThat(users.authenticate("carol", "wonderland")).isEmpty();
    }

    @Test
    void adminPasswordMakesAnAdminUnlessUsersAlreadyHaveOne() {
        assertThat(new Users("", "s3cret-pass").authenticate("admin", "s3cret-pass")).contains("admin");
        Users both = new Users("admin:{bcrypt}" + Passwords.hash("from-users"), "from-env");
        assertThat(both.authenticate("admin", "from-users")).contains("admin");
        assertThat(both.authenticate("admin", "from-env")).isEmpty();
    }

    @Test
    void aPlainPasswordIsRefusedWithoutBeingEchoed() {
        assertThatThrownBy(() -> Users.parse("alice:hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("alice")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> Users.parse("nocolon")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Users.parse("alice:" + ALICE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void noUsersMeansNobodyLogsIn() {
        assertThat(new Users(null, null).authenticate("admin", "")).isEmpty();
    }

    @Test
    void thePrintedHashIsAcceptedByTheParser() {
        String line = "{bcrypt}" + Passwords.hash("pw");
        assertThat(Users.parse("x:" + line)).containsKey("x");
        assertThat(Passwords.looksLikeBcrypt(line.substring("{bcrypt}".length()))).isTrue();
    }
}
