using Knative.Orleans.Contracts.Serving;

namespace Knative.Orleans.Contracts.Client;

/// <summary>
/// Typed access to Knative resources over Orleans grain calls: the admin API uses it, and so can any .NET program that
/// joins the cluster as an Orleans client (register it with <see cref="KnativeClientExtensions.AddKnativeClient"/>).
/// </summary>
public interface IKnativeClient
{
    /// <summary>Creates (<see cref="ApplyMode.Create"/>) or creates-or-replaces (<see cref="ApplyMode.Replace"/>) a Service.</summary>
    /// <param name="namespace">Namespace; the manifest's own <c>metadata.namespace</c>, if set, must match.</param>
    /// <param name="service">The manifest, as users write it.</param>
    /// <param name="mode">Create or replace.</param>
    /// <param name="user">The requesting user (recorded in <c>serving.knative.dev/creator</c> and <c>/lastModifier</c>).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    Task<ApplyResult<Service>> ApplyServiceAsync(
        string @namespace, Service service, ApplyMode mode, string user = KnativeClient.DefaultUser, CancellationToken cancellationToken = default);

    /// <summary>One Service with status, or null.</summary>
    Task<Service?> GetServiceAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>All Services of a namespace, sorted by name.</summary>
    Task<IReadOnlyList<Service>> ListServicesAsync(string @namespace, CancellationToken cancellationToken = default);

    /// <summary>Deletes a Service, its revisions and their workloads. False when it did not exist.</summary>
    Task<bool> DeleteServiceAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>One Revision with status, or null.</summary>
    Task<Revision?> GetRevisionAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>All Revisions of a namespace, sorted by name.</summary>
    Task<IReadOnlyList<Revision>> ListRevisionsAsync(string @namespace, CancellationToken cancellationToken = default);

    /// <summary>The last lines of output of a revision's workloads, or null when the revision does not exist.</summary>
    Task<string?> GetRevisionLogsAsync(string @namespace, string name, int tailLines = 200, CancellationToken cancellationToken = default);

    /// <summary>One Configuration, or null.</summary>
    Task<Configuration?> GetConfigurationAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>All Configurations of a namespace, sorted by name.</summary>
    Task<IReadOnlyList<Configuration>> ListConfigurationsAsync(string @namespace, CancellationToken cancellationToken = default);

    /// <summary>One Route, or null.</summary>
    Task<Route?> GetRouteAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>All Routes of a namespace, sorted by name.</summary>
    Task<IReadOnlyList<Route>> ListRoutesAsync(string @namespace, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces a standalone Configuration. A Service's own Configuration (same name) cannot be changed here:
    /// <see cref="ApplyOutcome.Conflict"/> (create: <see cref="ApplyOutcome.AlreadyExists"/>).
    /// </summary>
    Task<ApplyResult<Configuration>> ApplyConfigurationAsync(
        string @namespace, Configuration configuration, ApplyMode mode, string user = KnativeClient.DefaultUser, CancellationToken cancellationToken = default);

    /// <summary>Deletes a standalone Configuration, its revisions and their workloads. False when no standalone one exists.</summary>
    Task<bool> DeleteConfigurationAsync(string @namespace, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces a standalone Route. A Service's own Route (same name) cannot be changed here:
    /// <see cref="ApplyOutcome.Conflict"/> (create: <see cref="ApplyOutcome.AlreadyExists"/>).
    /// </summary>
    Task<ApplyResult<Route>> ApplyRouteAsync(
        string @namespace, Route route, ApplyMode mode, string user = KnativeClient.DefaultUser, CancellationToken cancellationToken = default);

    /// <summary>Deletes a standalone Route; its host answers 404. False when no standalone one exists.</summary>
    Task<bool> DeleteRouteAsync(string @namespace, string name, CancellationToken cancellationToken = default);
}
