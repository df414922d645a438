using Knative.Orleans.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Knative.Orleans.Silo.Tests.Storage;

/// <summary>Builds a <see cref="SqliteGrainStorage"/> outside a silo, with the System.Text.Json serializer.</summary>
internal static class SqliteGrainStorageFactory
{
    private static readonly IActivatorProvider Activators =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<IActivatorProvider>();

    public static SqliteGrainStorage Create(string path, string name = "store") =>
        new(
            name,
            new SqliteGrainStorageOptions { Path = path },
            new SystemTextJsonGrainStorageSerializer(Options.Create(new SystemTextJsonGrainStorageSerializerOptions())),
            Activators,
            NullLogger<SqliteGrainStorage>.Instance);
}
