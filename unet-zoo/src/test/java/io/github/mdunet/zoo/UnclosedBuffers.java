package io.github.mdunet.zoo;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.memory.Deallocatable;
import org.nd4j.linalg.api.memory.deallocation.DeallocatableReference;
import org.nd4j.linalg.api.memory.deallocation.DeallocatorService;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The ND4J data buffers that some work created and left open: neither closed nor yet found by the garbage collector,
 * so their native memory stays allocated until a collection happens to run. Read from ND4J's
 * {@code DeallocatorService}, which keeps a weak reference to every buffer until it is collected (its private
 * {@code referenceMap}; a test-only look inside ND4J 1.0.0-M2.1). A buffer that the collector found during the work
 * is not listed, so a check built on this can miss a leak, never invent one. (unet-core's
 * {@code NativeAllocations} counts the bytes some work allocates, not what it leaves allocated.)
 */
final class UnclosedBuffers {

    private UnclosedBuffers() {
    }

    /**
     * The buffers that {@code work} created and left open; {@code work} checks what it expects to be thrown (e.g. with
     * {@code assertThatThrownBy}).
     */
    static List<DataBuffer> leftBy(Runnable work) {
        Set<String> before = new HashSet<>(references().keySet());
        work.run();
        List<DataBuffer> open = new ArrayList<>();
        references().forEach((id, reference) -> {
            Deallocatable referent = reference.get();
            if (!before.contains(id) && referent instanceof DataBuffer buffer && !buffer.wasClosed()) {
                open.add(buffer);
            }
        });
        return open;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, DeallocatableReference> references() {
        try {
            Field field = DeallocatorService.class.getDeclaredField("referenceMap");
            field.setAccessible(true);
            return (Map<String, DeallocatableReference>) field.get(Nd4j.getDeallocatorService());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ND4J's DeallocatorService has no referenceMap to read", e);
        }
    }
}
