-- name: list_places(organisation_id)
SELECT id, organisation_id, name, address, protected, latitude, longitude
FROM places WHERE organisation_id = :organisation_id ORDER BY lower(name), id;

-- name: get_place(id)^
SELECT id, organisation_id, name, address, protected, latitude, longitude FROM places WHERE id = :id;

-- name: insert_place(organisation_id, name, address, protected, latitude, longitude)^
INSERT INTO places (organisation_id, name, address, protected, latitude, longitude)
VALUES (:organisation_id, :name, :address, :protected, :latitude, :longitude)
RETURNING id, organisation_id, name, address, protected, latitude, longitude;

-- name: update_place(id, name, address, protected, latitude, longitude)^
UPDATE places SET name = :name, address = :address, protected = :protected,
                  latitude = :latitude, longitude = :longitude
WHERE id = :id
RETURNING id, organisation_id, name, address, protected, latitude, longitude;
