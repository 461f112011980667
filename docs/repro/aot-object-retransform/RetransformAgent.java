import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;

/**
 * The smallest agent that crashes a Java 25 AOT-cache training run: it retransforms one class with a
 * transformer that changes nothing. With the argument {@code object} that class is java.lang.Object,
 * and the training run dies in ArchiveBuilder::record_regenerated_object; with any other argument it
 * is ThreadPoolExecutor, and the run trains a cache.
 */
public class RetransformAgent {
    public static void premain(String args, Instrumentation inst) throws Exception {
        inst.addTransformer(new ClassFileTransformer() {
            @Override
            public byte[] transform(Module module, ClassLoader loader, String name, Class<?> cls,
                                    ProtectionDomain domain, byte[] bytes) {
                return null; // no change: the retransformation alone is what matters
            }
        }, true);
        inst.retransformClasses("object".equals(args) ? Object.class : java.util.concurrent.ThreadPoolExecutor.class);
    }
}
