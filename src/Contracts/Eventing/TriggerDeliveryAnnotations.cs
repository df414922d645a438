using System.Globalization;
using Knative.Orleans.Contracts.Errors;

namespace Knative.Orleans.Contracts.Eventing;

/// <summary>
/// Trigger annotations that choose how its events are delivered: <see cref="DeliveryOrder"/> (the name Knative's Kafka
/// broker uses) and <see cref="Parallelism"/> (ours).
/// </summary>
public static class TriggerDeliveryAnnotations
{
    /// <summary><c>ordered</c>: one event in flight, in arrival order (retries included); <c>unordered</c> (default): parallel.</summary>
    public const string DeliveryOrder = "kafka.eventing.knative.dev/delivery.order";

    /// <summary>Events in flight at once in unordered mode, 1–1000 (default <c>Eventing:DeliveryParallelism</c>).</summary>
    public const string Parallelism = "eventing.knative.dev/parallelism";

    /// <summary>Value of <see cref="DeliveryOrder"/>.</summary>
    public const string Ordered = "ordered";

    /// <summary>Value of <see cref="DeliveryOrder"/>.</summary>
    public const string Unordered = "unordered";

    /// <summary>Largest <see cref="Parallelism"/>.</summary>
    public const int MaxParallelism = 1000;

    /// <summary>Every error of the two annotations, at the annotation key (the caller adds <c>metadata.annotations</c>).</summary>
    public static FieldErrors Validate(IReadOnlyDictionary<string, string>? annotations)
    {
        var errors = FieldErrors.None;
        if (annotations is null)
        {
            return errors;
        }

        if (annotations.TryGetValue(DeliveryOrder, out var order) && order is not (Ordered or Unordered))
        {
            errors = errors.Also(FieldErrors.Invalid(order, DeliveryOrder, $"expected {Ordered} or {Unordered}"));
        }

        if (annotations.TryGetValue(Parallelism, out var raw))
        {
            if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var parallelism))
            {
                errors = errors.Also(FieldErrors.Invalid(raw, Parallelism, "expected an integer"));
            }
            else if (parallelism is < 1 or > MaxParallelism)
            {
                errors = errors.Also(FieldErrors.OutOfBounds(parallelism, 1, MaxParallelism, Parallelism));
            }
            else if (order == Ordered && parallelism != 1)
            {
                errors = errors.Also(FieldErrors.Of($"{Parallelism} must be 1 (or absent) when {DeliveryOrder} is {Ordered}", null, Parallelism));
            }
        }

        return errors;
    }

    /// <summary>Events in flight at once for a valid trigger: 1 when ordered, else the annotation, else <paramref name="fallback"/>.</summary>
    public static int EffectiveParallelism(IReadOnlyDictionary<string, string>? annotations, int fallback)
    {
        if (annotations is null)
        {
            return fallback;
        }

        if (annotations.TryGetValue(DeliveryOrder, out var order) && order == Ordered)
        {
            return 1;
        }

        return annotations.TryGetValue(Parallelism, out var raw) && int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var p)
            && p is >= 1 and <= MaxParallelism
            ? p
            : fallback;
    }
}
