using Knative.Orleans.Contracts.Errors;
using Knative.Orleans.Contracts.Meta;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Eventing;

namespace Knative.Orleans.Grains.Serving;

/// <summary>Server-set metadata of a Serving resource (pure; knative.dev/pkg <c>apis.SetUserInfo</c>, <c>ValidateCreatorAndModifier</c>).</summary>
public static class ServingMeta
{
    /// <summary>
    /// <paramref name="desired"/> with uid, creation time, generation and resourceVersion (<see cref="ResourceMeta.Stamp"/>),
    /// plus <c>serving.knative.dev/creator</c> (the first user, never changed) and <c>serving.knative.dev/lastModifier</c>
    /// (the user of the last spec change).
    /// </summary>
    public static ObjectMeta Stamp(ObjectMeta desired, ObjectMeta? existing, string @namespace, bool specChanged, long resourceVersion,
        DateTimeOffset now, string user)
    {
        ArgumentNullException.ThrowIfNull(desired);
        var annotations = new Dictionary<string, string>(desired.Annotations ?? [], StringComparer.Ordinal);
        annotations[ServingLabels.Creator] = existing?.Annotations?.GetValueOrDefault(ServingLabels.Creator) ?? user;
        annotations[ServingLabels.LastModifier] = specChanged || existing is null
            ? user
            : existing.Annotations?.GetValueOrDefault(ServingLabels.LastModifier) ?? user;
        return ResourceMeta.Stamp(desired, existing, @namespace, specChanged, resourceVersion, now) with { Annotations = annotations };
    }

    /// <summary>
    /// On update: the creator annotation may not change, nor lastModifier when the spec did not change (Knative's
    /// "annotation value is immutable" at <c>metadata.annotations.serving.knative.dev/creator</c>). Our rule: an annotation the
    /// update leaves out is kept, so only a different non-empty value is refused.
    /// </summary>
    public static FieldErrors ValidateUserInfo(ObjectMeta? existing, ObjectMeta? desired, bool specChanged)
    {
        if (existing is null)
        {
            return FieldErrors.None;
        }

        var errors = FieldErrors.None;
        foreach (var key in specChanged ? [ServingLabels.Creator] : new[] { ServingLabels.Creator, ServingLabels.LastModifier })
        {
            if (desired?.Annotations?.GetValueOrDefault(key) is { Length: > 0 } value && value != existing.Annotations?.GetValueOrDefault(key))
            {
                errors = errors.Also(FieldErrors.Of("annotation value is immutable", null, "metadata.annotations." + key));
            }
        }

        return errors;
    }
}
