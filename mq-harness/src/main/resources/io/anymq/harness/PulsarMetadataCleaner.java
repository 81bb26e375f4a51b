// Removes the ephemeral nodes a dead Pulsar standalone left in its RocksDB metadata store, before the
// next start (Java source-file mode, on the broker's class path). Argument: the metadata directory.
//
// Why: the RocksDB metadata store has no sessions. An ephemeral node (the bookie's registration
// /ledgers/available/<bookie>, the broker's /loadbalance/brokers/<broker>, the load-manager leader,
// namespace ownership) carries the id of the store instance that wrote it; a graceful stop deletes
// them, kill -9 leaves them. The next instance deletes such a node lazily, when it first reads it,
// and the Deleted notification of that delete is delivered asynchronously. When it arrives after
// the bookie has already re-created its registration lock, the lock takes it as "invalidated",
// deletes and re-creates its node, whose own Deleted notification again arrives after the re-create:
// a loop at high CPU (tens of thousands of lines per minute about /ledgers/available). Deleting the
// dead instance's ephemeral nodes while no broker runs is what a ZooKeeper session expiry would do,
// and leaves nothing to race with. Prints one line per removed node and a summary.
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

public class PulsarMetadataCleaner {
    // RocksdbMetadataStore.MetaValue, format version 1: int headerSize, int formatVersion, long version,
    // long owner, long created, long modified, byte ephemeral, then the data
    private static final int EPHEMERAL_OFFSET = 4 + 4 + 8 + 8 + 8 + 8;

    public static void main(String[] args) throws Exception {
        RocksDB.loadLibrary();
        List<byte[]> stale = new ArrayList<>();
        int nodes = 0;
        try (Options options = new Options().setCreateIfMissing(false);
             RocksDB db = RocksDB.open(options, args[0]);
             WriteOptions sync = new WriteOptions().setSync(true)) {
            try (RocksIterator it = db.newIterator()) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    String key = new String(it.key(), StandardCharsets.UTF_8);
                    if (!key.startsWith("/")) {
                        continue; // the store's own counters (__metadata_instanceId_key, ...)
                    }
                    nodes++;
                    byte[] v = it.value();
                    if (v.length <= EPHEMERAL_OFFSET) {
                        continue;
                    }
                    ByteBuffer b = ByteBuffer.wrap(v);
                    int formatVersion = b.getInt(4);
                    if (formatVersion == 1 && v[EPHEMERAL_OFFSET] != 0) {
                        stale.add(it.key());
                        System.out.println("removing ephemeral " + key + " (owner " + b.getLong(16) + ")");
                    }
                }
            }
            for (byte[] key : stale) {
                db.delete(sync, key);
            }
        }
        System.out.println("ANYMQ-CLEANED " + stale.size() + " ephemeral of " + nodes + " nodes");
    }
}
