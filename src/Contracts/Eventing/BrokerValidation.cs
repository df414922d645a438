using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>Validation of a Broker manifest.</summary>
public static class BrokerValidation
{
    /// <summary>Every error: apiVersion/kind when given, metadata names, <c>spec.delivery</c>.</summary>
    public static FieldErrors Validate(Broker broker)
    {
        ArgumentNullException.ThrowIfNull(broker);
        return TypeMeta(broker.ApiVersion, broker.Kind, "Broker")
            .Also(ObjectMetaValidation.Names(broker.Metadata).ViaField("metadata"))
            .Also(DeliveryValidation.Validate(broker.Spec?.Delivery).ViaField("spec.delivery"));
    }

    /// <summary>apiVersion must be <c>eventing.knative.dev/v1</c> and kind <paramref name="kind"/> when given.</summary>
    internal static FieldErrors TypeMeta(string? apiVersion, string? kind, string expectedKind)
    {
        var errors = FieldErrors.None;
        if (apiVersion is { Length: > 0 } && apiVersion != EventingNames.ApiVersion)
        {
            errors = errors.Also(FieldErrors.Invalid(apiVersion, "apiVersion", "expected " + EventingNames.ApiVersion));
        }

        if (kind is { Length: > 0 } && kind != expectedKind)
        {
            errors = errors.Also(FieldErrors.Invalid(kind, "kind", "expected " + expectedKind));
        }

        return errors;
    }
}
