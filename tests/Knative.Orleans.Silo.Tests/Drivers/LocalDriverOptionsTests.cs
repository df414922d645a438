using Knative.Orleans.Grains.Ports;
using Knative.Orleans.Silo.Drivers.Local;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Knative.Orleans.Silo.Tests.Drivers;

public sealed class LocalDriverOptionsTests
{
    [Fact]
    public void Defaults_AreValid_OnceDataPathIsSet()
    {
        var result = new LocalDriverOptionsValidator().Validate(null, new LocalDriverOptions { DataPath = "/tmp/kn" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validation_NamesTheKeyTheValueAndTheRange_ForEveryError()
    {
        var options = new LocalDriverOptions
        {
            DataPath = " ",
            ProbePeriod = TimeSpan.Zero,
            StopGracePeriod = TimeSpan.FromSeconds(11),
            MaxOutputLinesPerRevision = 0,
        };

        var result = new LocalDriverOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "LocalDriverOptions.DataPath = \" \", must be a directory path (required)",
                "LocalDriverOptions.ProbePeriod = 0s, must be in [10ms; 1s]",
                "LocalDriverOptions.StopGracePeriod = 11s, must be in [0s; 10s]",
                "LocalDriverOptions.MaxOutputLinesPerRevision = 0, must be in [1; 1000000]",
            ],
            result.Failures);
    }

    [Fact]
    public void AddLocalProcessDriver_RegistersOneInstanceAsDriverAndHostedService()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IWorkloadStatusSink, RecordingSink>();

        services.AddLocalProcessDriver(o => o.DataPath = "/tmp/kn-local-driver-registration");
        using var provider = services.BuildServiceProvider();

        var driver = Assert.IsType<LocalProcessDriver>(provider.GetRequiredService<IWorkloadDriver>());
        Assert.Same(driver, provider.GetServices<IHostedService>().OfType<LocalProcessDriver>().Single());
    }

    [Fact]
    public void AddLocalProcessDriver_FailsFastOnInvalidOptions()
    {
        var services = new ServiceCollection().AddLogging().AddSingleton<IWorkloadStatusSink, RecordingSink>();

        services.AddLocalProcessDriver(o => o.DataPath = "");
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<LocalDriverOptions>>().Value);
        Assert.Contains("LocalDriverOptions.DataPath", error.Message);
    }
}
