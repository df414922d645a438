using Knative.Orleans.Contracts.Eventing;
using Knative.Orleans.Contracts.Serving;
using Knative.Orleans.Grains.Eventing.Delivery;

namespace Knative.Orleans.Grains.Eventing;

/// <summary>Resolves a subscriber or dead letter sink: a <c>uri</c> as is, a Knative Service <c>ref</c> only once it exists.</summary>
public static class DestinationResolver
{
    /// <summary>Knative's reason when the subscriber cannot be resolved.</summary>
    public const string SubscriberUnresolved = "Unable to get the Subscriber's URI";

    /// <summary>Knative's reason when the dead letter sink cannot be resolved.</summary>
    public const string DeadLetterSinkUnresolved = "Unable to get the dead letter sink's URI";

    /// <summary>
    /// The target, or Knative's message when the referenced Service does not exist (<c>failed to get object
    /// {ns}/{name}: services.serving.knative.dev "{name}" not found</c>).
    /// </summary>
    public static async Task<(SubscriberTarget? Target, string? Error)> ResolveAsync(IGrainFactory grains, Destination destination,
        string ns, string domain, string gatewayUrl)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Ref is { } reference)
        {
            var refNamespace = reference.Namespace ?? ns;
            if (await grains.GetGrain<IServiceGrain>(refNamespace + "/" + reference.Name).GetAsync() is null)
            {
                return (null, $"failed to get object {refNamespace}/{reference.Name}: services.serving.knative.dev \"{reference.Name}\" not found");
            }
        }

        return (SubscriberTarget.Resolve(destination, ns, domain, gatewayUrl), null);
    }

    /// <summary>Registers <paramref name="triggerKey"/> to be woken when the referenced Service is created (one-way).</summary>
    public static void WakeWhenCreated(IGrainFactory grains, Destination destination, string ns, string triggerKey)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Ref is { Name: { } name } reference)
        {
            _ = grains.GetGrain<IServiceWaitersGrain>(reference.Namespace ?? ns).WaitAsync(name, triggerKey);
        }
    }
}
