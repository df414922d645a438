using System.Globalization;
using Knative.Orleans.Contracts.Meta;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>Server-set metadata of an eventing resource (pure).</summary>
public static class ResourceMeta
{
    /// <summary>
    /// <paramref name="desired"/> with namespace, uid and creation time kept from <paramref name="existing"/> (or new),
    /// generation bumped when the spec changed, and <paramref name="resourceVersion"/>.
    /// </summary>
    public static ObjectMeta Stamp(ObjectMeta desired, ObjectMeta? existing, string @namespace, bool specChanged, long resourceVersion,
        DateTimeOffset now) => desired with
        {
            Namespace = @namespace,
            Uid = existing?.Uid ?? Guid.NewGuid().ToString(),
            CreationTimestamp = existing?.CreationTimestamp ?? Contracts.Timestamps.Format(now),
            Generation = (existing?.Generation ?? 0) + (specChanged ? 1 : 0),
            ResourceVersion = resourceVersion.ToString(CultureInfo.InvariantCulture),
        };
}
