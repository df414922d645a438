using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>Validation of <see cref="DeliverySpec"/> and <see cref="Destination"/> with Knative's messages.</summary>
public static class DeliveryValidation
{
    /// <summary>Every error of a delivery spec; paths are relative to <c>delivery</c>.</summary>
    public static FieldErrors Validate(DeliverySpec? delivery)
    {
        if (delivery is null)
        {
            return FieldErrors.None;
        }

        var errors = FieldErrors.None;
        if (delivery.DeadLetterSink is { } dls)
        {
            errors = errors.Also(ValidateDestination(dls).ViaField("deadLetterSink"));
        }

        if (delivery.Retry is < 0)
        {
            errors = errors.Also(FieldErrors.Invalid(delivery.Retry, "retry"));
        }

        if (delivery.BackoffPolicy is { } policy && policy is not (BackoffPolicies.Exponential or BackoffPolicies.Linear))
        {
            errors = errors.Also(FieldErrors.Invalid(policy, "backoffPolicy"));
        }

        if (delivery.BackoffDelay is { } delay && (!IsoDuration.TryParse(delay, out var d) || d < TimeSpan.Zero))
        {
            errors = errors.Also(FieldErrors.Invalid(delay, "backoffDelay"));
        }

        if (delivery.Timeout is { } timeout && (!IsoDuration.TryParse(timeout, out var t) || t <= TimeSpan.Zero))
        {
            errors = errors.Also(FieldErrors.Invalid(timeout, "timeout"));
        }

        return errors;
    }

    /// <summary>
    /// A destination needs an absolute http(s) <c>uri</c>. <c>ref</c> (an addressable object such as a Knative Service) is
    /// not supported yet and is refused with a message saying so.
    /// </summary>
    public static FieldErrors ValidateDestination(Destination? destination)
    {
        if (destination is null || (destination.Ref is null && string.IsNullOrEmpty(destination.Uri)))
        {
            return FieldErrors.Of("expected at least one, got none", null, "ref", "uri");
        }

        var errors = FieldErrors.None;
        if (destination.Ref is not null)
        {
            errors = errors.Also(FieldErrors.Of("not supported yet: ref (set an absolute uri, e.g. http://host:port/path)", null, "ref"));
        }

        if (destination.Uri is { Length: > 0 } uri
            && (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            errors = errors.Also(FieldErrors.Invalid(uri, "uri", "Relative URI is not allowed when Ref and CACerts is absent (an absolute http or https URI is required)"));
        }

        return errors;
    }
}
