package io.anymq.redis;

import io.anymq.TransactionException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What a failed commit script call says: an error reply wrote nothing; no answer leaves it in doubt. */
class RedisTransactionsTest {

    @Test
    void anErrorReplyOrACommandNeverSentIsAborted() {
        assertThat(RedisTransactions.failed(new RedisCommandExecutionException("OOM command not allowed when used memory > 'maxmemory'")).outcome())
                .isEqualTo(TransactionException.Outcome.ABORTED);
        TransactionException full = RedisTransactions.failed(new RedisCommandExecutionException(
                "ERR user_script:1: FULL group g holds 10 waiting messages, the limit is 10"));
        assertThat(full.outcome()).isEqualTo(TransactionException.Outcome.ABORTED);
        assertThat(full.getMessage()).contains("group g holds 10 waiting messages").contains("queue.max-length");
        assertThat(RedisTransactions.failed(new RedisException("Currently not connected. Commands are rejected.")).outcome())
                .isEqualTo(TransactionException.Outcome.ABORTED);
    }

    @Test
    void aLostConnectionOrATimeoutIsUnknown() {
        TransactionException lost = RedisTransactions.failed(new RedisConnectionException("Connection closed"));
        assertThat(lost.outcome()).isEqualTo(TransactionException.Outcome.UNKNOWN);
        assertThat(lost.getMessage()).contains("may or may not");
        assertThat(RedisTransactions.failed(new RedisCommandTimeoutException("Command timed out after 10 second(s)")).outcome())
                .isEqualTo(TransactionException.Outcome.UNKNOWN);
        assertThat(RedisTransactions.failed(new java.io.IOException("Connection reset by peer")).outcome())
                .isEqualTo(TransactionException.Outcome.UNKNOWN);
    }
}
