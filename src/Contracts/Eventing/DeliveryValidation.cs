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
            errors = errors.Also(ValidateDestination(dls, allowServiceRef: true).ViaField("deadLetterSink"));
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
    /// A destination needs an absolute http(s) <c>uri</c>, or, where <paramref name="allowServiceRef"/> (a trigger's
    /// subscriber, a dead letter sink), a <c>ref</c> to a Knative Service (<c>serving.knative.dev/v1</c>, <c>Service</c>, a name) with an
    /// optional <c>uri</c> resolved against the service's URL (e.g. <c>/path</c>). Other refs are refused as not supported yet.
    /// </summary>
    public static FieldErrors ValidateDestination(Destination? destination, bool allowServiceRef = false)
    {
        if (destination is null || (destination.Ref is null && string.IsNullOrEmpty(destination.Uri)))
        {
            return FieldErrors.Of("expected at least one, got none", null, "ref", "uri");
        }

        var errors = FieldErrors.None;
        if (destination.Ref is { } reference)
        {
            if (!allowServiceRef)
            {
                return FieldErrors.Of("not supported yet: ref (set an absolute uri, e.g. http://host:port/path)", null, "ref");
            }

            errors = errors.Also(ValidateServiceRef(reference).ViaField("ref"));
            if (destination.Uri is { Length: > 0 } path && !Uri.TryCreate(path, UriKind.RelativeOrAbsolute, out _))
            {
                errors = errors.Also(FieldErrors.Invalid(path, "uri"));
            }

            return errors;
        }

        if (destination.Uri is { Length: > 0 } uri
            && (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")))
        {
            errors = errors.Also(FieldErrors.Invalid(uri, "uri", "Relative URI is not allowed when Ref and CACerts is absent (an absolute http or https URI is required)"));
        }

        return errors;
    }

    /// <summary>True for a reference to a Knative Service (<c>serving.knative.dev/v1</c>, kind <c>Service</c>).</summary>
    public static bool IsKnativeService(KReference reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return reference.ApiVersion == "serving.knative.dev/v1" && reference.Kind == "Service";
    }

    private static FieldErrors ValidateServiceRef(KReference reference)
    {
        var missing = new List<string>();
        if (string.IsNullOrEmpty(reference.ApiVersion))
        {
            missing.Add("apiVersion");
        }

        if (string.IsNullOrEmpty(reference.Kind))
        {
            missing.Add("kind");
        }

        if (string.IsNullOrEmpty(reference.Name))
        {
            missing.Add("name");
        }

        if (missing.Count > 0)
        {
            return FieldErrors.Missing([.. missing]);
        }

        return IsKnativeService(reference)
            ? FieldErrors.None
            : FieldErrors.Of($"not supported yet: ref to {reference.ApiVersion} {reference.Kind} (only serving.knative.dev/v1 Service; or set an absolute uri)", null, "kind");
    }
}
