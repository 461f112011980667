package io.jvmwatchdog.agent.advice;

import io.jvmwatchdog.boot.Blocking;
import io.jvmwatchdog.boot.Sites;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.constant.IntegerConstant;

/**
 * Resolves {@link SiteId}: registers the instrumented method as a site while it is woven, and puts
 * the number in the woven code.
 */
public final class SiteIdMapping implements Advice.OffsetMapping.Factory<SiteId> {

    /** For entry points and units of work. */
    public static final SiteIdMapping ENTRY = new SiteIdMapping(Blocking.NONE);

    private final int kind;

    /** @param kind the {@link Blocking} code of the woven calls, or {@link Blocking#NONE} */
    public SiteIdMapping(int kind) {
        this.kind = kind;
    }

    @Override
    public Class<SiteId> getAnnotationType() {
        return SiteId.class;
    }

    @Override
    public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target,
                                     AnnotationDescription.Loadable<SiteId> annotation,
                                     AdviceType adviceType) {
        return new Advice.OffsetMapping() {
            @Override
            public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod,
                                  Assigner assigner, Advice.ArgumentHandler argumentHandler, Sort sort) {
                int site = Sites.register(instrumentedType.getName() + "." + instrumentedMethod.getInternalName(), kind);
                return new Target.ForStackManipulation(IntegerConstant.forValue(site));
            }
        };
    }
}
