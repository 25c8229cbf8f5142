import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import io.netty.channel.Channel;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.MVStore;

/**
 * Starts mongo-java-server (a MongoDB wire-protocol server) on loopback, because no mongod can run on the
 * development and CI machines. Usage: MongoTestServer [port] [h2-file]; without a file the data lives in memory,
 * with one it is kept in that H2 (MVStore) file and found again after a restart or a kill.
 */
public class MongoTestServer {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 27017;
        MongoServer server = args.length > 1
            ? new MongoServer(new CommitEveryCommandBackend(args[1]))
            : new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("mongo-java-server listening on 127.0.0.1:" + port
            + (args.length > 1 ? " (durable, file " + args[1] + ")" : " (in memory)"));
        Thread.currentThread().join();
    }

    /**
     * The H2 backend, committed before each command's reply is sent. By default MVStore commits in the background
     * about once a second, so a killed server would lose up to a second of writes it had already acknowledged, and
     * the services promise that a lead that got a 2xx is never lost. Every command (OP_MSG and OP_QUERY alike)
     * goes through handleCommand, so committing there covers every write. Commands run in shared mode and a commit
     * takes the lock alone, so a commit never captures half of another command (a document without its unique
     * index entry); commits of concurrent writers coalesce. A commit reaches the operating system's page cache,
     * not the disk (no fsync): it survives the process, not a power loss.
     */
    static final class CommitEveryCommandBackend extends H2Backend {
        private final ReadWriteLock lock = new ReentrantReadWriteLock();
        private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

        CommitEveryCommandBackend(String file) {
            // A page cache of 512 MB (H2's default is 16 MB): with a store of a hundred thousand leads, lookups by
            // `_id` read their pages from the file otherwise, and cost a third more (measured at 100k documents).
            super(new MVStore.Builder().fileName(file).autoCommitDisabled().cacheSize(512).open());
            // A commit per write makes many small chunks, and a dead chunk's space is reused only after the
            // retention time (45 s by default): at hundreds of writes a second the file grew by tens of MB a second.
            // 5 s keeps it small and is still far longer than any single query reads an old version for.
            getMvStore().setRetentionTime(5_000);
        }

        @Override
        public Document handleCommand(Channel channel, String database, String command, Document query) {
            int[] level = depth.get();
            lock.readLock().lock();
            level[0]++;
            try {
                return super.handleCommand(channel, database, command, query);
            } finally {
                level[0]--;
                lock.readLock().unlock();
                // A command a command runs is committed with the outer one (and a reader may not take the write lock).
                if (level[0] == 0) commitAlone();
            }
        }

        private void commitAlone() {
            lock.writeLock().lock();
            try {
                if (getMvStore().hasUnsavedChanges()) commit();
            } finally {
                lock.writeLock().unlock();
            }
        }

        @Override
        public void close() {
            lock.writeLock().lock();
            try {
                super.close();
            } finally {
                lock.writeLock().unlock();
            }
        }
    }
}
