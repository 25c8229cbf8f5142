import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.MongoDatabase;
import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.AbstractUniqueIndex;
import de.bwaldvogel.mongo.backend.CollectionOptions;
import de.bwaldvogel.mongo.backend.Index;
import de.bwaldvogel.mongo.backend.IndexKey;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import de.bwaldvogel.mongo.backend.h2.H2Collection;
import de.bwaldvogel.mongo.backend.h2.H2Database;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.wire.bson.BsonDecoder;
import de.bwaldvogel.mongo.wire.bson.BsonEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;
import org.h2.mvstore.type.ObjectDataType;
import org.h2.mvstore.type.StringDataType;

/**
 * Starts mongo-java-server (a MongoDB wire-protocol server) on loopback, because no mongod can run on the
 * development and CI machines. Usage: MongoTestServer [port] [h2-file]; without a file the data lives in memory,
 * with one it is kept in that H2 (MVStore) file and found again after a restart or a kill. One file, because the
 * Java launcher runs a single source file without a build step.
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
     * index entry); commits of concurrent writers coalesce. H2's own commits (on a timer, or when its write buffer
     * fills) are turned off, so no other commit happens. A commit reaches the operating system's page cache,
     * not the disk (no fsync): it survives the process, not a power loss.
     */
    static final class CommitEveryCommandBackend extends H2Backend {
        private final ReadWriteLock lock = new ReentrantReadWriteLock();
        private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

        CommitEveryCommandBackend(String file) {
            // A page cache of 512 MB (H2's default is 16 MB): with a store of a hundred thousand leads, lookups by
            // `_id` read their pages from the file otherwise, and cost a third more (measured at 100k documents).
            super(StorageFormat.upgraded(new MVStore.Builder().fileName(file).autoCommitDisabled().autoCommitBufferSize(0).cacheSize(512).open()));
            // A commit per write makes many small chunks, and a dead chunk's space is reused only after the
            // retention time (45 s by default): at hundreds of writes a second the file grew by tens of MB a second.
            // 5 s keeps it small and is still far longer than any single query reads an old version for.
            getMvStore().setRetentionTime(5_000);
        }

        @Override
        protected MongoDatabase openOrCreateDatabase(String name) {
            return new CompactDatabase(name);
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

        /**
         * H2's database, with its collections and unique indexes opened under the same map names but laid out by
         * the types of StorageFormat. An inner class: the superclass's constructor already opens collections,
         * before any field of this class would be set, and the outer instance is set before that.
         */
        final class CompactDatabase extends H2Database {
            CompactDatabase(String name) {
                super(name, getMvStore(), getCursorRegistry());
            }

            // The library serializes every other way a collection comes to exist on this database, not the
            // `create` command: one racing an insert into the same new collection registered it twice, and the
            // second registration failed on the namespaces map (seen with two copies of a service starting at once).
            @Override
            public synchronized MongoCollection<Object> createCollectionOrThrowIfExists(String collection, CollectionOptions options) {
                return super.createCollectionOrThrowIfExists(collection, options);
            }

            @Override
            protected Index<Object> openOrCreateUniqueIndex(String collection, String indexName, List<IndexKey> keys, boolean sparse) {
                String mapName = getFullCollectionNamespace(collection) + "._index_" + indexName;
                return new CompactUniqueIndex(getMvStore().openMap(mapName, StorageFormat.indexMap()), indexName, keys, sparse);
            }

            @Override
            protected MongoCollection<Object> openOrCreateCollection(String collection, CollectionOptions options) {
                String namespace = getFullCollectionNamespace(collection);
                MVMap<Object, Document> data = getMvStore().openMap("databases." + namespace, StorageFormat.dataMap());
                MVMap<String, Object> meta = getMvStore().openMap("meta." + namespace);
                return new H2Collection(this, collection, options, data, meta, cursorRegistry);
            }
        }
    }

    /** What H2's own unique index does, over a map with compact keys (its constructor is not public). */
    static final class CompactUniqueIndex extends AbstractUniqueIndex<Object> {
        private final MVMap<KeyValue, Object> map;

        CompactUniqueIndex(MVMap<KeyValue, Object> map, String name, List<IndexKey> keys, boolean sparse) {
            super(name, keys, sparse);
            this.map = map;
        }

        @Override
        protected Object removeDocument(KeyValue key) {
            return map.remove(key);
        }

        @Override
        protected boolean putKeyPosition(KeyValue key, Object position) {
            return map.putIfAbsent(key, Missing.ofNullable(position)) == null;
        }

        @Override
        protected Iterable<Entry<KeyValue, Object>> getIterable() {
            return map.entrySet();
        }

        @Override
        protected Object getPosition(KeyValue key) {
            return map.get(key);
        }

        @Override
        public long getCount() {
            return map.sizeAsLong();
        }

        @Override
        public boolean isEmpty() {
            return map.isEmpty();
        }

        @Override
        public long getDataSize() {
            return getCount();
        }
    }

    /**
     * How documents and index keys are laid out in the file: documents as BSON, as MongoDB keeps them; ids, index
     * keys and positions as a tag and the value's bytes, compared without serializing. A value of a type without
     * a tag of its own keeps H2's generic form, compared as before. A file written before these types is rewritten
     * in them once, map by map, at start.
     */
    static final class StorageFormat {
        // No dot in the name: dropping a database removes every map named after it and a dot.
        private static final String FORMAT_MAP = "crm-storage-format";
        private static final String EARLIER_FORMAT_MAP = "crm.storage-format";
        private static final String REWRITING = ".rewriting";
        private static final String VERSION = "compact-1";

        static MVMap.Builder<Object, Document> dataMap() {
            return new MVMap.Builder<Object, Document>().keyType(ValueType.INSTANCE).valueType(DocumentType.INSTANCE);
        }

        static MVMap.Builder<KeyValue, Object> indexMap() {
            return new MVMap.Builder<KeyValue, Object>().keyType(KeyValueType.INSTANCE).valueType(ValueType.INSTANCE);
        }

        static MVStore upgraded(MVStore store) {
            MVMap<String, String> format = store.openMap(FORMAT_MAP);
            if (store.hasMap(EARLIER_FORMAT_MAP)) {
                MVMap<String, String> earlier = store.openMap(EARLIER_FORMAT_MAP);
                format.putAll(earlier);
                store.removeMap(earlier);
                store.commit();
            }
            if (VERSION.equals(format.get("version"))) return store;
            for (String name : new ArrayList<>(store.getMapNames())) {
                // A map rewritten before a crash cut the upgrade short is already in the new layout; a copy a crash
                // cut short is started again with its map.
                if (name.equals(FORMAT_MAP) || name.endsWith(REWRITING) || VERSION.equals(format.get(name))) continue;
                if (name.startsWith("databases.")) rewrite(store, name, dataMap());
                else if (name.contains("._index_")) rewrite(store, name, indexMap());
                else continue;
                format.put(name, VERSION);
                store.commit();
            }
            format.clear();
            format.put("version", VERSION);
            store.commit();
            return store;
        }

        private static <K, V> void rewrite(MVStore store, String name, MVMap.Builder<K, V> layout) {
            MVMap<K, V> old = store.openMap(name);
            MVMap<K, V> rewritten = store.openMap(name + REWRITING, layout);
            rewritten.clear();
            for (Entry<K, V> entry : old.entrySet()) rewritten.put(entry.getKey(), entry.getValue());
            store.removeMap(old);
            store.renameMap(rewritten, name);
        }
    }

    /** Ids, index key parts and positions: the types a document's `_id` and indexed fields take. */
    static final class ValueType extends BasicDataType<Object> {
        static final ValueType INSTANCE = new ValueType();
        private static final byte NULL = 0, MISSING = 1, STRING = 2, INTEGER = 3, LONG = 4, DOUBLE = 5, BOOLEAN = 6,
            OBJECT_ID = 7, INSTANT = 8, GENERIC = 9;

        private static byte tagOf(Object value) {
            if (value == null) return NULL;
            if (value instanceof Missing) return MISSING;
            if (value instanceof String) return STRING;
            if (value instanceof Integer) return INTEGER;
            if (value instanceof Long) return LONG;
            if (value instanceof Double) return DOUBLE;
            if (value instanceof Boolean) return BOOLEAN;
            if (value instanceof ObjectId) return OBJECT_ID;
            if (value instanceof Instant) return INSTANT;
            return GENERIC;
        }

        // Equal only when of one type and equal as Java values, as H2's generic type has it, so an index lets in
        // and refuses the same keys as before.
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        public int compare(Object a, Object b) {
            byte tag = tagOf(a);
            int byTag = Byte.compare(tag, tagOf(b));
            if (byTag != 0) return byTag;
            if (tag == NULL || tag == MISSING) return 0;
            if (tag != GENERIC) return ((Comparable) a).compareTo(b);
            int byClass = a.getClass().getName().compareTo(b.getClass().getName());
            return byClass != 0 ? byClass : ObjectDataType.compareNotNull(ObjectDataType.serialize(a), ObjectDataType.serialize(b));
        }

        @Override
        public int getMemory(Object value) {
            return value instanceof String ? 24 + 2 * ((String) value).length() : tagOf(value) == GENERIC ? 128 : 24;
        }

        @Override
        public void write(WriteBuffer buffer, Object value) {
            byte tag = tagOf(value);
            buffer.put(tag);
            switch (tag) {
                case STRING -> StringDataType.INSTANCE.write(buffer, (String) value);
                case INTEGER -> buffer.putInt((Integer) value);
                case LONG -> buffer.putLong((Long) value);
                case DOUBLE -> buffer.putDouble((Double) value);
                case BOOLEAN -> buffer.put((byte) ((Boolean) value ? 1 : 0));
                case OBJECT_ID -> buffer.put(((ObjectId) value).toByteArray());
                case INSTANT -> buffer.putLong(((Instant) value).getEpochSecond()).putInt(((Instant) value).getNano());
                case GENERIC -> {
                    byte[] bytes = ObjectDataType.serialize(value);
                    buffer.putVarInt(bytes.length).put(bytes);
                }
                default -> { }
            }
        }

        @Override
        public Object read(ByteBuffer buffer) {
            byte tag = buffer.get();
            return switch (tag) {
                case NULL -> null;
                case MISSING -> Missing.getInstance();
                case STRING -> StringDataType.INSTANCE.read(buffer);
                case INTEGER -> buffer.getInt();
                case LONG -> buffer.getLong();
                case DOUBLE -> buffer.getDouble();
                case BOOLEAN -> buffer.get() == 1;
                case OBJECT_ID -> new ObjectId(bytes(buffer, 12));
                case INSTANT -> Instant.ofEpochSecond(buffer.getLong(), buffer.getInt());
                case GENERIC -> ObjectDataType.deserialize(bytes(buffer, DataUtils.readVarInt(buffer)));
                default -> throw new IllegalStateException("unknown value tag " + tag);
            };
        }

        @Override
        public Object[] createStorage(int size) {
            return new Object[size];
        }
    }

    /** A unique index's key: its values, one per indexed field, compared in turn. */
    static final class KeyValueType extends BasicDataType<KeyValue> {
        static final KeyValueType INSTANCE = new KeyValueType();

        @Override
        public int compare(KeyValue a, KeyValue b) {
            for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
                int byValue = ValueType.INSTANCE.compare(a.get(i), b.get(i));
                if (byValue != 0) return byValue;
            }
            return Integer.compare(a.size(), b.size());
        }

        @Override
        public int getMemory(KeyValue key) {
            int memory = 24;
            for (Object value : key) memory += ValueType.INSTANCE.getMemory(value);
            return memory;
        }

        @Override
        public void write(WriteBuffer buffer, KeyValue key) {
            buffer.putVarInt(key.size());
            for (Object value : key) ValueType.INSTANCE.write(buffer, value);
        }

        @Override
        public KeyValue read(ByteBuffer buffer) {
            int size = DataUtils.readVarInt(buffer);
            List<Object> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) values.add(ValueType.INSTANCE.read(buffer));
            return new KeyValue(values);
        }

        @Override
        public KeyValue[] createStorage(int size) {
            return new KeyValue[size];
        }
    }

    /** A stored document, as BSON; one BSON cannot carry (none the wire brings in) keeps H2's generic form. */
    static final class DocumentType extends BasicDataType<Document> {
        static final DocumentType INSTANCE = new DocumentType();
        private static final byte BSON = 0, GENERIC = 1;

        @Override
        public int getMemory(Document document) {
            return estimate(document);
        }

        private static int estimate(Object value) {
            if (value instanceof Map<?, ?> map) {
                int memory = 48;
                for (Entry<?, ?> entry : map.entrySet()) memory += 32 + 2 * entry.getKey().toString().length() + estimate(entry.getValue());
                return memory;
            }
            if (value instanceof Collection<?> list) {
                int memory = 32;
                for (Object item : list) memory += 8 + estimate(item);
                return memory;
            }
            return value instanceof String ? 40 + 2 * ((String) value).length() : 24;
        }

        @Override
        public void write(WriteBuffer buffer, Document document) {
            ByteBuf bson = Unpooled.buffer();
            try {
                BsonEncoder.encodeDocument(document, bson);
            } catch (RuntimeException notBson) {
                byte[] bytes = ObjectDataType.serialize(document);
                buffer.put(GENERIC).putVarInt(bytes.length).put(bytes);
                return;
            }
            buffer.put(BSON).putVarInt(bson.readableBytes()).put(bson.nioBuffer());
        }

        @Override
        public Document read(ByteBuffer buffer) {
            byte form = buffer.get();
            byte[] bytes = bytes(buffer, DataUtils.readVarInt(buffer));
            return form == BSON ? BsonDecoder.decodeBson(Unpooled.wrappedBuffer(bytes)) : (Document) ObjectDataType.deserialize(bytes);
        }

        @Override
        public Document[] createStorage(int size) {
            return new Document[size];
        }
    }

    private static byte[] bytes(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return bytes;
    }
}
