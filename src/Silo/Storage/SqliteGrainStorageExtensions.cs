using Knative.Orleans.Grains.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Runtime.Hosting;
using Orleans.Storage;

namespace Knative.Orleans.Silo.Storage;

/// <summary>
/// Registers <see cref="SqliteGrainStorage"/> as a named grain storage provider on a silo.
/// </summary>
public static class SqliteGrainStorageExtensions
{
    /// <summary>
    /// Adds a grain storage provider named <paramref name="name"/> that keeps grain state in
    /// <c>{Path}/state.db</c>. Grains use it with <c>[PersistentState("stateName", name)]</c>.
    /// </summary>
    /// <remarks>
    /// Like Orleans' own providers (<c>AddMemoryGrainStorage</c>, <c>AddRedisGrainStorage</c>) this
    /// registers a keyed <see cref="IGrainStorage"/> singleton that takes part in the silo lifecycle: the
    /// database is opened, and its table created, at <see cref="ServiceLifecycleStage.ApplicationServices"/>
    /// and closed when the silo stops. State is serialized with the <see cref="IGrainStorageSerializer"/>
    /// keyed by <paramref name="name"/> if one is registered, otherwise the silo's default one (call
    /// <c>UseSystemTextJsonGrainStorageSerializer()</c> for plain JSON). Options are validated at startup.
    /// </remarks>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The provider name, e.g. <c>"store"</c>.</param>
    /// <param name="configure">Sets <see cref="SqliteGrainStorageOptions.Path"/>.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddSqliteGrainStorage(
        this ISiloBuilder builder,
        string name,
        Action<SqliteGrainStorageOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(configure);

        var services = builder.Services;
        services.AddOptions<SqliteGrainStorageOptions>(name).Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<SqliteGrainStorageOptions>, SqliteGrainStorageOptionsValidator>());
        services.AddGrainStorage(name, static (sp, providerName) => SqliteGrainStorage.Create(sp, providerName));
        return builder;
    }

    /// <summary>
    /// Keeps the names of <c>ResourceIndexGrain</c> (the lists behind the admin API's list calls) as rows of the
    /// <c>resource_index</c> table of the SQLite grain storage named <paramref name="name"/>, instead of in one grain
    /// state rewritten on every create. Call after <see cref="AddSqliteGrainStorage"/> with the same name.
    /// </summary>
    /// <param name="builder">The silo builder.</param>
    /// <param name="name">The name of the SQLite grain storage, e.g. <c>"store"</c>.</param>
    /// <returns>The silo builder.</returns>
    public static ISiloBuilder AddSqliteResourceIndex(this ISiloBuilder builder, string name)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        builder.Services.AddSingleton<IResourceIndexStore>(sp =>
            new SqliteResourceIndexStore((SqliteGrainStorage)sp.GetRequiredKeyedService<IGrainStorage>(name)));
        return builder;
    }
}
