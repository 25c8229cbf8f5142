import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;

/**
 * Starts mongo-java-server (a MongoDB wire-protocol server) on loopback, because no mongod can run on the
 * development and CI machines. Usage: MongoTestServer [port] [h2-file]; with a file the data survives restarts.
 */
public class MongoTestServer {
    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 27017;
        MongoServer server = args.length > 1
            ? new MongoServer(new H2Backend(args[1]))
            : new MongoServer(new MemoryBackend());
        server.bind("127.0.0.1", port);
        Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
        System.out.println("mongo-java-server listening on 127.0.0.1:" + port);
        Thread.currentThread().join();
    }
}
