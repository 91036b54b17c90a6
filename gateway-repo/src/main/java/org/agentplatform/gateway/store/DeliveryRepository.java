package org.agentplatform.gateway.store;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.Page;
import io.micronaut.data.model.Pageable;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeliveryRepository extends CrudRepository<DeliveryRow, Long> {

    Optional<DeliveryRow> findByVendorAndDeliveryId(String vendor, String deliveryId);

    Page<DeliveryRow> findAll(Pageable pageable);

    Page<DeliveryRow> findByVendor(String vendor, Pageable pageable);

    Page<DeliveryRow> findByOutcome(String outcome, Pageable pageable);

    Page<DeliveryRow> findByVendorAndOutcome(String vendor, String outcome, Pageable pageable);
}
