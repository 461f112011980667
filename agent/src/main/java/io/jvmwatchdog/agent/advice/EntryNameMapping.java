package io.jvmwatchdog.agent.advice;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.annotation.AnnotationDescription;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.method.ParameterDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import net.bytebuddy.implementation.bytecode.constant.TextConstant;

/** Resolves {@link EntryName} to an {@code ldc} of the instrumented method's name. */
public final class EntryNameMapping implements Advice.OffsetMapping.Factory<EntryName> {

    public static final EntryNameMapping INSTANCE = new EntryNameMapping();

    @Override
    public Class<EntryName> getAnnotationType() {
        return EntryName.class;
    }

    @Override
    public Advice.OffsetMapping make(ParameterDescription.InDefinedShape target,
                                     AnnotationDescription.Loadable<EntryName> annotation,
                                     AdviceType adviceType) {
        return new Advice.OffsetMapping() {
            @Override
            public Target resolve(TypeDescription instrumentedType, MethodDescription instrumentedMethod,
                                  Assigner assigner, Advice.ArgumentHandler argumentHandler, Sort sort) {
                return new Target.ForStackManipulation(
                        new TextConstant(instrumentedType.getName() + "." + instrumentedMethod.getInternalName()));
            }
        };
    }
}
